-- 007 Integrity: the plan checked at commit against what is open, reports
-- for the reporting role, an audit trail that names the login that acted,
-- an app role that can do exactly what the CLI does, and sums that cannot
-- overflow.
--
-- 1. The plan at commit. A run no longer writes `allocation_runs` and
--    `current_plan` itself. `allocation_run_begin` stores the run (as being
--    written) and makes its partition; the job COPYs its rows;
--    `allocation_run_commit` attaches the partition, checks the plan against
--    each week's stock, takes `LOCK TABLE order_lines IN SHARE MODE`
--    (cancellations, amendments and shipments in flight finish first, new
--    ones wait for the commit), trims every line the run holds more for than
--    is open under that lock (set-wise, over all the run's lines: no
--    watermark of what the run saw), and makes it the current plan. A
--    deferred trigger refuses to commit a run that was begun and not
--    committed this way. One set-wise function, `trim_plan`, takes chips
--    back, for the run at commit and for the current plan when lines change.
--
-- 2. Reports. `current_run_id()` reads the plan with its owner's rights, and
--    the reporting role may call the pure week functions the views use.
--
-- 3. Who and when. Order events, ledger movements, runs, orders and
--    policies record `session_user`, the login that acted (inside a
--    SECURITY DEFINER trigger `current_user` is the function's owner). The
--    app role gets column-level privileges: exactly the columns the CLI
--    writes, never a who/when column (defaults fill them on insert, BEFORE
--    triggers on update) and never `shipped_qty` (shipping is one function:
--    ledger movement and shipped quantity together). A cancellation cancels
--    all that is open and is final, as `order cancel` does. It writes a
--    run's rows only while that run is being written.
--
-- 4. Sums. Allocated value is plain numeric, and chip figures summed over
--    lines (explanations, stock flow, order status, stock on hand) are bigint.

-- Who and when ---------------------------------------------------------------

ALTER TABLE order_events ALTER COLUMN actor SET DEFAULT session_user;
ALTER TABLE inventory_movements ALTER COLUMN actor SET DEFAULT session_user;
ALTER TABLE allocation_runs ALTER COLUMN run_by SET DEFAULT session_user;
ALTER TABLE orders ALTER COLUMN created_by SET DEFAULT session_user;
ALTER TABLE allocation_policies ALTER COLUMN set_by SET DEFAULT session_user;

-- The time of a change to a customer or a week's supply is the database's.
CREATE FUNCTION stamp_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE TRIGGER customers_stamp_updated_at BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION stamp_updated_at();
CREATE TRIGGER supply_capacity_stamp_updated_at BEFORE UPDATE ON supply_capacity
    FOR EACH ROW EXECUTE FUNCTION stamp_updated_at();

-- Cancelling a line cancels all it still has open, and is final: a line's
-- cancelled quantity only ever becomes its quantity less what shipped (as
-- `order cancel` sets it), never less than it was.
CREATE FUNCTION order_lines_check_cancellation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.cancelled_qty < OLD.cancelled_qty THEN
        RAISE EXCEPTION 'order % line %: a cancellation is final (% chips cancelled, % asked)',
            OLD.order_id, OLD.line_no, OLD.cancelled_qty, NEW.cancelled_qty
            USING ERRCODE = 'check_violation', TABLE = 'order_lines', CONSTRAINT = 'order_lines_cancellation_final';
    END IF;
    -- (More than is open is order_lines_not_over_closed's to refuse.)
    IF NEW.cancelled_qty > OLD.cancelled_qty AND NEW.cancelled_qty < NEW.quantity - NEW.shipped_qty THEN
        RAISE EXCEPTION 'order % line %: a cancellation cancels all that is open (% chips), not %',
            OLD.order_id, OLD.line_no, NEW.quantity - NEW.shipped_qty - OLD.cancelled_qty, NEW.cancelled_qty - OLD.cancelled_qty
            USING ERRCODE = 'check_violation', TABLE = 'order_lines', CONSTRAINT = 'order_lines_cancellation_whole';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER order_lines_check_cancellation BEFORE UPDATE OF cancelled_qty ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_lines_check_cancellation();

-- Shipping: the ledger movement and the line's shipped quantity together,
-- only to a customer who is export-cleared and not on credit hold. The
-- movement's and the event's actor is the login that called it; the
-- table's checks refuse more than is open, more than is on hand and
-- partial lots.
CREATE FUNCTION ship_order_line(line_id bigint, chips integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    line record;
BEGIN
    SELECT l.id, l.order_id, l.line_no, l.sku, c.id AS customer, c.compliance, c.credit_hold INTO line
    FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers c ON c.id = o.customer_id
    WHERE l.id = line_id
    FOR UPDATE OF l;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'order line % does not exist', line_id USING ERRCODE = 'no_data_found';
    END IF;
    IF chips IS NULL OR chips <= 0 THEN
        RAISE EXCEPTION 'order % line %: a shipment must be a positive number of chips (got %)', line.order_id, line.line_no, chips
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shipments_quantity_positive';
    END IF;
    IF line.compliance <> 'cleared' THEN
        RAISE EXCEPTION 'order % line %: customer % is not export-cleared (%); nothing may ship', line.order_id, line.line_no,
            line.customer, line.compliance
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shipments_customer_cleared';
    END IF;
    IF line.credit_hold THEN
        RAISE EXCEPTION 'order % line %: customer % is on credit hold; nothing may ship', line.order_id, line.line_no, line.customer
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shipments_customer_not_on_hold';
    END IF;
    INSERT INTO inventory_movements (sku, kind, quantity, order_line_id) VALUES (line.sku, 'shipment', -chips, line.id);
    UPDATE order_lines SET shipped_qty = shipped_qty + chips WHERE id = line.id;
END $$;

-- Taking chips back from a plan ------------------------------------------------

DROP TRIGGER order_lines_trim_plan ON order_lines;
DROP FUNCTION order_lines_trim_plan();
DROP FUNCTION trim_current_plan(bigint, boolean);

-- Every line run `plan_run` holds more chips for than the line has open (a
-- line that does not exist has none open), with the excess: one pass over
-- the run's allocations in key order, merged with order_lines in id order.
-- Left to itself the planner probes the lines one by one (seconds at
-- 700,000 rows) or hashes them to disk, and compiling the plan (JIT) costs
-- more than it saves, hence the settings.
CREATE FUNCTION run_lines_over_open(plan_run bigint) RETURNS TABLE (line_id bigint, excess bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp SET enable_nestloop = off SET enable_hashjoin = off SET enable_hashagg = off
SET max_parallel_workers_per_gather = 0 SET jit = off AS $$
    SELECT h.order_line_id, h.held - coalesce(l.quantity - l.cancelled_qty - l.shipped_qty, 0)
    FROM (SELECT a.order_line_id, sum(a.quantity) AS held FROM allocations a
          WHERE a.run_id = plan_run GROUP BY a.order_line_id) h
    LEFT JOIN order_lines l ON l.id = h.order_line_id
    WHERE h.held > coalesce(l.quantity - l.cancelled_qty - l.shipped_qty, 0)
$$;

-- Takes back what run `plan_run` holds for its lines beyond their open
-- quantity (a line that does not exist has none open) and returns the chips
-- taken. `only_lines` narrows the look to those lines (NULL: every line the
-- run allocates to). A line in `shipped_lines` gives up its earliest weeks
-- (the chips that shipped were the first allocated); any other line its
-- latest (a cancellation or reduction gives up what was due last).
--
-- Finding the lines that are over is the whole cost when none is (the usual
-- case); their rows are then found by the primary key.
CREATE FUNCTION trim_plan(plan_run bigint, only_lines bigint[], shipped_lines bigint[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    over_lines  bigint[];
    over_chips  bigint[];
    taken       bigint;
BEGIN
    -- Two statements, not one with "only_lines IS NULL OR ...": a cached
    -- generic plan of that would scan the whole run for a single line.
    IF only_lines IS NULL THEN
        SELECT array_agg(o.line_id), array_agg(o.excess) INTO over_lines, over_chips FROM run_lines_over_open(plan_run) o;
    ELSE
        SELECT array_agg(h.order_line_id), array_agg(h.held - coalesce(l.quantity - l.cancelled_qty - l.shipped_qty, 0))
        INTO over_lines, over_chips
        FROM (SELECT a.order_line_id, sum(a.quantity) AS held FROM allocations a
              WHERE a.run_id = plan_run AND a.order_line_id = ANY (only_lines) GROUP BY a.order_line_id) h
        LEFT JOIN order_lines l ON l.id = h.order_line_id
        WHERE h.held > coalesce(l.quantity - l.cancelled_qty - l.shipped_qty, 0);
    END IF;
    IF over_lines IS NULL THEN
        RETURN 0;
    END IF;
    WITH over AS (
        SELECT o.line_id, o.excess FROM unnest(over_lines, over_chips) AS o(line_id, excess)
    ), cut AS (
        SELECT a.order_line_id, a.week, a.quantity,
               least(a.quantity, greatest(0, o.excess - coalesce(sum(a.quantity) OVER (
                   PARTITION BY a.order_line_id
                   ORDER BY CASE WHEN a.order_line_id = ANY (shipped_lines) THEN a.week END ASC, a.week DESC
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))) AS cut
        FROM allocations a JOIN over o ON o.line_id = a.order_line_id
        WHERE a.run_id = plan_run AND a.order_line_id = ANY (over_lines)
    ), removed AS (
        DELETE FROM allocations a USING cut c
        WHERE a.run_id = plan_run AND a.order_line_id = c.order_line_id AND a.week = c.week AND c.cut = c.quantity
        RETURNING c.cut
    ), reduced AS (
        UPDATE allocations a SET quantity = a.quantity - c.cut FROM cut c
        WHERE a.run_id = plan_run AND a.order_line_id = c.order_line_id AND a.week = c.week
          AND c.cut > 0 AND c.cut < c.quantity
        RETURNING c.cut
    )
    SELECT coalesce((SELECT sum(cut) FROM removed), 0) + coalesce((SELECT sum(cut) FROM reduced), 0) INTO taken;
    RETURN taken;
END $$;

-- After a run, the current plan follows the lines: whatever a statement
-- ships, cancels or reduces is taken back from it, set-wise.
CREATE FUNCTION order_lines_trim_plan() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    plan    bigint;
    changed bigint[];
    shipped bigint[];
BEGIN
    SELECT run_id INTO plan FROM current_plan;
    IF plan IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT array_agg(n.id), array_agg(n.id) FILTER (WHERE n.shipped_qty > o.shipped_qty) INTO changed, shipped
    FROM new_lines n JOIN old_lines o ON o.id = n.id
    WHERE n.quantity - n.cancelled_qty - n.shipped_qty < o.quantity - o.cancelled_qty - o.shipped_qty;
    IF changed IS NOT NULL THEN
        PERFORM trim_plan(plan, changed, shipped);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER order_lines_trim_plan AFTER UPDATE ON order_lines
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION order_lines_trim_plan();

-- Storing a run -----------------------------------------------------------------

-- True from allocation_run_begin until allocation_run_commit, within the
-- run's own transaction: no committed run is ever being written.
ALTER TABLE allocation_runs ADD COLUMN writing boolean NOT NULL DEFAULT false;

DROP FUNCTION allocations_begin_run(bigint);
DROP FUNCTION allocations_finish_run(bigint);

-- Stores a run (its policy, as-of week, input counts and chip totals) as
-- being written by this transaction, with the login that runs it, and makes
-- the table its allocations load into: the columns and checks of
-- `allocations`, that run only, no index until it is attached. Returns the
-- run's id; its table is public.allocations_run_<id>.
CREATE FUNCTION allocation_run_begin(
    policy bigint, as_of iso_week, started_at timestamptz, open_lines integer, customers integer, skus integer,
    supply_weeks integer, fixed_rows integer, supply_chips bigint, on_hand_chips bigint, demand_chips bigint,
    allocated_chips bigint, backlog_chips bigint, compute_ms integer
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    run  bigint;
    part text;
BEGIN
    INSERT INTO allocation_runs (policy_id, as_of, started_at, open_lines, customers, skus, supply_weeks, fixed_rows,
                                 supply_chips, on_hand_chips, demand_chips, allocated_chips, backlog_chips, compute_ms, writing)
    VALUES (policy, as_of, started_at, open_lines, customers, skus, supply_weeks, fixed_rows,
            supply_chips, on_hand_chips, demand_chips, allocated_chips, backlog_chips, compute_ms, true)
    RETURNING id INTO run;
    part := format('allocations_run_%s', run);
    EXECUTE format('CREATE TABLE %I (LIKE allocations INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (run_id = %s))',
                   part, part || '_only', run);
    EXECUTE format('GRANT INSERT ON %I TO chipsales_app', part);
    RETURN run;
END $$;

-- Finishes run `run` in the transaction that began it and makes it the
-- current plan; returns the chips trimmed. In order: the run's table stops
-- taking rows and becomes its partition of `allocations` (PostgreSQL builds
-- its primary key in one sorted pass), and the run's tables are analyzed;
-- every week's allocations are checked against that week's available stock
-- and whole lots of the product; then, under a SHARE lock on order_lines
-- (changes in flight commit first, new ones wait until this transaction
-- ends), what the plan holds beyond a line's open quantity is trimmed,
-- latest weeks first, and the run's value and order-book figures summed
-- again from the trimmed plan.
CREATE FUNCTION allocation_run_commit(run bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part    text := format('allocations_run_%s', run);
    wrong   text;
    trimmed bigint;
BEGIN
    PERFORM 1 FROM allocation_runs r WHERE r.id = run AND r.writing FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'allocation run % is not being written in this transaction', run
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('REVOKE INSERT ON %I FROM chipsales_app', part);
    EXECUTE format('ALTER TABLE allocations ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part, run, run + 1);
    -- Statistics for the planner, before the lock is taken: the trims that
    -- follow (now and when lines change later) find their rows by key.
    EXECUTE format('ANALYZE %I', part);
    PERFORM analyze_run_tables();

    SELECT CASE
               WHEN p.available IS NULL THEN format('%s %s: chips allocated in a week with no stock flow', a.sku, a.week)
               WHEN a.chips > p.available THEN format('%s %s: %s chips allocated of %s available', a.sku, a.week, a.chips, p.available)
               ELSE format('%s %s: allocations in lots of %s to %s, but the product''s lot is %s', a.sku, a.week, a.low, a.high,
                           coalesce(pr.lot_size::text, 'unknown'))
           END
    INTO wrong
    FROM (SELECT x.sku, x.week, sum(x.quantity) AS chips, min(x.lot_size) AS low, max(x.lot_size) AS high
          FROM allocations x WHERE x.run_id = run GROUP BY x.sku, x.week) a
    LEFT JOIN allocation_periods p ON p.run_id = run AND p.sku = a.sku AND p.week = a.week
    LEFT JOIN products pr ON pr.sku = a.sku
    WHERE p.available IS NULL OR a.chips > p.available OR pr.lot_size IS DISTINCT FROM a.low OR a.low <> a.high
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'allocation run % does not fit its stock flow: %', run, wrong
            USING ERRCODE = 'check_violation', CONSTRAINT = 'allocations_within_available';
    END IF;

    LOCK TABLE order_lines IN SHARE MODE;
    trimmed := trim_plan(run, NULL, NULL);
    IF trimmed > 0 THEN
        UPDATE allocation_runs SET trimmed_chips = trimmed, allocated_chips = allocated_chips - trimmed WHERE id = run;
        DELETE FROM allocation_values WHERE run_id = run;
        DELETE FROM allocation_order_book WHERE run_id = run;
        INSERT INTO allocation_values (run_id, customer_id, week, currency, chips, value)
        SELECT a.run_id, a.customer_id, a.week, l.currency, sum(a.quantity), sum(a.quantity * l.unit_price)
        FROM allocations a JOIN order_lines l ON l.id = a.order_line_id WHERE a.run_id = run
        GROUP BY a.run_id, a.customer_id, a.week, l.currency;
        INSERT INTO allocation_order_book (run_id, customer_id, requested_week, chips)
        SELECT a.run_id, a.customer_id, l.requested_week, sum(a.quantity)
        FROM allocations a JOIN order_lines l ON l.id = a.order_line_id WHERE a.run_id = run
        GROUP BY a.run_id, a.customer_id, l.requested_week;
    END IF;
    INSERT INTO current_plan (singleton, run_id) VALUES (true, run)
    ON CONFLICT (singleton) DO UPDATE SET run_id = EXCLUDED.run_id, since = now();
    UPDATE allocation_runs SET writing = false, finished_at = clock_timestamp() WHERE id = run;
    RETURN trimmed;
END $$;

-- A run that was begun commits only through allocation_run_commit.
CREATE FUNCTION allocation_runs_check_committed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM allocation_runs r WHERE r.id = NEW.id AND r.writing) THEN
        RAISE EXCEPTION 'allocation run % was begun but not finished with allocation_run_commit', NEW.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER allocation_runs_committed AFTER INSERT ON allocation_runs
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION allocation_runs_check_committed();

-- A run's rows go only into the run being written in this transaction:
-- stored runs are history. Checked once per statement (a COPY is one).
CREATE FUNCTION run_rows_check_run() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    stray bigint;
BEGIN
    SELECT i.run_id INTO stray FROM (SELECT DISTINCT n.run_id FROM inserted n) i
    WHERE NOT EXISTS (SELECT 1 FROM allocation_runs r WHERE r.id = i.run_id AND r.writing)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '% rows may be added only to the run this transaction is writing, not to run %', TG_TABLE_NAME, stray
            USING ERRCODE = 'insufficient_privilege', TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER check_run_writing AFTER INSERT ON allocation_explanations
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION run_rows_check_run();
CREATE TRIGGER check_run_writing AFTER INSERT ON allocation_periods
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION run_rows_check_run();
CREATE TRIGGER check_run_writing AFTER INSERT ON allocation_values
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION run_rows_check_run();
CREATE TRIGGER check_run_writing AFTER INSERT ON allocation_order_book
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION run_rows_check_run();
CREATE TRIGGER check_run_writing AFTER INSERT ON allocation_backlog_summary
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION run_rows_check_run();

-- Sums that cannot overflow ------------------------------------------------------

DROP VIEW report_allocated_value, report_internal_share, report_capacity, report_inventory, order_status;

ALTER TABLE allocation_values ALTER COLUMN value TYPE numeric;
ALTER TABLE allocation_explanations
    ALTER COLUMN demand TYPE bigint, ALTER COLUMN fixed TYPE bigint,
    ALTER COLUMN guaranteed TYPE bigint, ALTER COLUMN allocated TYPE bigint;
ALTER TABLE allocation_periods
    ALTER COLUMN supply TYPE bigint, ALTER COLUMN available TYPE bigint, ALTER COLUMN allocated TYPE bigint,
    ALTER COLUMN carry TYPE bigint, ALTER COLUMN internal_allocated TYPE bigint;
ALTER TABLE inventory_balances ALTER COLUMN on_hand TYPE bigint;

-- As in 002, with the sums as bigint: an order's lines may hold more chips together than an integer does.
CREATE VIEW order_status AS
SELECT o.id, o.customer_id, o.reference, o.placed_at, o.created_by,
       count(l.id)::int AS line_count,
       sum(l.quantity)::bigint AS ordered_qty,
       sum(l.cancelled_qty)::bigint AS cancelled_qty,
       sum(l.shipped_qty)::bigint AS shipped_qty,
       sum(l.open_qty)::bigint AS open_qty,
       CASE
           WHEN bool_and(l.status = 'cancelled') THEN 'cancelled'
           WHEN sum(l.open_qty) = 0 THEN 'shipped'
           WHEN sum(l.shipped_qty) > 0 THEN 'partially_shipped'
           ELSE 'open'
       END AS status
FROM orders o
JOIN order_line_status l ON l.order_id = o.id
GROUP BY o.id;

-- As in 004.
CREATE VIEW report_internal_share AS
SELECT p.run_id, p.sku, p.week::text AS week, p.supply, p.available, p.allocated,
       p.internal_allocated AS internal_chips,
       p.allocated - p.internal_allocated AS outside_chips,
       round(100.0 * p.internal_allocated / nullif(p.supply, 0), 1) AS internal_pct_of_supply,
       round(100.0 * (p.allocated - p.internal_allocated) / nullif(p.supply, 0), 1) AS outside_pct_of_supply,
       round(100.0 * p.internal_allocated / nullif(p.allocated, 0), 1) AS internal_pct_of_allocated
FROM allocation_periods p;

CREATE VIEW report_capacity AS
SELECT p.run_id, p.sku, p.week::text AS week, p.supply, p.available, p.allocated, p.carry,
       round(100.0 * p.allocated / nullif(p.available, 0), 1) AS utilisation_pct
FROM allocation_periods p;

CREATE VIEW report_allocated_value AS
SELECT v.run_id, v.customer_id, v.week, v.currency, v.chips, v.value
FROM allocation_values v;

CREATE VIEW report_inventory AS
SELECT p.sku, p.name, p.lot_size, coalesce(b.on_hand, 0) AS on_hand,
       coalesce(m.received, 0) AS received, coalesce(m.shipped, 0) AS shipped, coalesce(m.adjusted, 0) AS adjusted,
       coalesce(m.movements, 0) AS movements, m.last_movement_at
FROM products p
LEFT JOIN inventory_balances b ON b.sku = p.sku
LEFT JOIN (
    SELECT sku,
           sum(quantity) FILTER (WHERE kind = 'receipt') AS received,
           -sum(quantity) FILTER (WHERE kind = 'shipment') AS shipped,
           sum(quantity) FILTER (WHERE kind = 'adjustment') AS adjusted,
           count(*) AS movements, max(at) AS last_movement_at
    FROM inventory_movements GROUP BY sku
) m ON m.sku = p.sku;

-- Reports for the reporting role ---------------------------------------------------

-- The current plan's run, read with the owner's rights: analysts may not read current_plan itself.
CREATE OR REPLACE FUNCTION current_run_id() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$ SELECT run_id FROM current_plan $$;

-- Privileges ------------------------------------------------------------------------

-- The app: exactly what the CLI writes. Table-level writes go (also on every
-- run's partition, which 006 left insertable), and come back per column.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public FROM chipsales_app;
GRANT SELECT ON order_status, report_internal_share, report_capacity, report_allocated_value, report_inventory
    TO chipsales_app;
GRANT INSERT (sku, name, lot_size, unit_price, currency) ON products TO chipsales_app;
GRANT INSERT (id, name, country, internal, tier, weight, compliance, credit_hold) ON customers TO chipsales_app;
GRANT UPDATE (name, country, tier, weight, compliance, credit_hold, updated_at) ON customers TO chipsales_app;
GRANT INSERT, UPDATE, DELETE ON customer_contracts TO chipsales_app;
GRANT INSERT (sku, week, quantity), UPDATE (quantity, updated_at) ON supply_capacity TO chipsales_app;
GRANT INSERT (customer_id, reference) ON orders TO chipsales_app;
GRANT INSERT (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency) ON order_lines TO chipsales_app;
GRANT UPDATE (quantity, cancelled_qty) ON order_lines TO chipsales_app;
GRANT INSERT (sku, kind, quantity, note) ON inventory_movements TO chipsales_app;
GRANT INSERT (method, internal_floor, frozen_weeks, history_weeks) ON allocation_policies TO chipsales_app;
GRANT INSERT ON allocation_explanations, allocation_periods, allocation_values, allocation_order_book,
    allocation_backlog_summary TO chipsales_app;

-- Reporting: the views, as in 004.
GRANT SELECT ON report_internal_share, report_capacity, report_allocated_value, report_inventory TO chipsales_reporting;

-- Functions: none for PUBLIC; the app calls the job's and shipping's; the
-- reporting role the current run and the pure week arithmetic its views use.
REVOKE EXECUTE ON FUNCTION stamp_updated_at(), order_lines_check_cancellation(), ship_order_line(bigint, integer),
    run_lines_over_open(bigint), trim_plan(bigint, bigint[], bigint[]), order_lines_trim_plan(),
    allocation_run_begin(bigint, iso_week, timestamptz, integer, integer, integer, integer, integer, bigint, bigint, bigint,
                         bigint, bigint, integer),
    allocation_run_commit(bigint), allocation_runs_check_committed(), run_rows_check_run() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ship_order_line(bigint, integer),
    allocation_run_begin(bigint, iso_week, timestamptz, integer, integer, integer, integer, integer, bigint, bigint, bigint,
                         bigint, bigint, integer),
    allocation_run_commit(bigint) TO chipsales_app;
GRANT EXECUTE ON FUNCTION iso_week_add(iso_week, integer), iso_week_of(timestamptz) TO chipsales_reporting;
