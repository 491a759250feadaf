-- 011 Shipments go through the plan, and a run stores what it released.
--
-- 1. Releases. Step 2 of the allocation spec gives fixed (frozen) lots back
--    when a week cannot hold them; the run stores every released row in
--    `allocation_releases` (COPY, in the run's transaction, only while the
--    run is being written, like its other rows) and the total on the run
--    (`allocation_runs.released_chips`, summed at commit from the rows).
--
-- 2. Shipping against the plan. `ship_order_line` takes the week W the
--    shipment is for (default: the current ISO week) and ships at most what
--    is due: what the current plan holds for the line in weeks up to W.
--    A shipment takes its chips out of the plan, from the line's earliest
--    weeks, and records each week it took from (`shipment_draws`), so that
--      confirmed(W) = held in weeks <= W + drawn by shipments from weeks <= W
--      shipped(W)   = drawn by shipments from weeks <= W
--      due(W)       = confirmed(W) - shipped(W) = held in weeks <= W
--    all of the current plan (`line_plan_due`). More than is due ships only
--    when the caller says it goes beyond the plan and gives a reason; the
--    ledger movement then carries the flag and the reason as its note, the
--    audit event the reason, and `db check` lists it as a warning. With no
--    plan at all nothing is due.
--
-- 3. Order of locks. A shipment takes current_plan in ROW SHARE mode, then
--    its line FOR UPDATE, then its SKU's balance. A run's commit takes
--    current_plan in EXCLUSIVE mode before it locks order_lines: it waits
--    for shipments in flight, and shipments that start meanwhile wait for
--    the new plan. Two shipments of one line queue on the line, and the
--    second sees what the first took from the plan.
--
-- 4. Shipments while a run computes. They took their chips from the plan
--    that was current then; at commit the new run's plan gives up the same
--    chips (earliest weeks first). They are the shipments whose transaction
--    the run's input snapshot did not see: each shipment movement records
--    its transaction id (`xact`), and the run passes its snapshot to
--    `allocation_run_commit`.

-- Releases ------------------------------------------------------------------------

-- Per run, line and week: fixed chips the run gave back (step 2), with the
-- line's SKU and customer. Like a run's other rows, written only by the job,
-- with COPY, in the run's transaction; no per-row foreign keys (db check
-- confirms every row belongs to a stored run).
CREATE TABLE allocation_releases (
    run_id        bigint  NOT NULL,
    order_line_id bigint  NOT NULL,
    week          text    COLLATE "C" NOT NULL,
    quantity      integer NOT NULL CONSTRAINT allocation_releases_quantity_positive CHECK (quantity > 0),
    sku           text    COLLATE "C" NOT NULL,
    customer_id   text    COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, order_line_id, week)
);
COMMENT ON TABLE allocation_releases IS 'Fixed chips each run released per order line and week (allocation spec, step 2).';

CREATE TRIGGER check_run_writing AFTER INSERT ON allocation_releases
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION run_rows_check_run();

ALTER TABLE allocation_runs ADD COLUMN released_chips bigint NOT NULL DEFAULT 0
    CONSTRAINT allocation_runs_released_not_negative CHECK (released_chips >= 0);
COMMENT ON COLUMN allocation_runs.trimmed_chips IS
    'Chips taken back at commit from lines cancelled, reduced or shipped while the run computed.';
COMMENT ON COLUMN allocation_runs.released_chips IS 'Fixed chips the run released (the sum of its allocation_releases rows).';

-- The ledger's side of a shipment ------------------------------------------------------

-- beyond_plan: the shipment took more than the plan had due (its note is the
-- reason). plan_run, plan_week: the plan and week it shipped against
-- (plan_run is NULL when there was no plan). xact: the shipping transaction.
-- Shipments recorded before this migration have none of these; every later
-- one has its week and transaction (NOT VALID: the check holds for new rows).
ALTER TABLE inventory_movements
    ADD COLUMN beyond_plan boolean NOT NULL DEFAULT false,
    ADD COLUMN plan_run bigint REFERENCES allocation_runs (id),
    ADD COLUMN plan_week iso_week,
    ADD COLUMN xact xid8,
    ADD CONSTRAINT movements_beyond_plan_shape
        CHECK (NOT beyond_plan OR (kind = 'shipment' AND length(btrim(coalesce(note, ''))) > 0)),
    ADD CONSTRAINT movements_plan_only_shipments
        CHECK (kind = 'shipment' OR (plan_run IS NULL AND plan_week IS NULL AND xact IS NULL));
ALTER TABLE inventory_movements ADD CONSTRAINT movements_shipment_planned
    CHECK (kind <> 'shipment' OR (plan_week IS NOT NULL AND xact IS NOT NULL)) NOT VALID;
CREATE INDEX inventory_movements_xact_idx ON inventory_movements (xact) WHERE xact IS NOT NULL;

-- Per shipment and week: the chips it took out of the plan (run) it shipped
-- against. Written only by ship_order_line; append-only.
CREATE TABLE shipment_draws (
    movement_id   bigint  NOT NULL REFERENCES inventory_movements (id),
    run_id        bigint  NOT NULL REFERENCES allocation_runs (id),
    order_line_id bigint  NOT NULL REFERENCES order_lines (id),
    week          text    COLLATE "C" NOT NULL,
    quantity      integer NOT NULL CONSTRAINT shipment_draws_quantity_positive CHECK (quantity > 0),
    PRIMARY KEY (movement_id, week)
);
CREATE INDEX shipment_draws_run_line_idx ON shipment_draws (run_id, order_line_id);
COMMENT ON TABLE shipment_draws IS 'Chips each shipment took out of the plan it shipped against, per week of that plan.';

CREATE TRIGGER shipment_draws_append_only BEFORE UPDATE OR DELETE ON shipment_draws
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER shipment_draws_no_truncate BEFORE TRUNCATE ON shipment_draws
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Taking chips out of a plan ------------------------------------------------------------

-- Takes chips[i] chips out of run plan_run's allocations to line lines[i]
-- (as many as it holds, if fewer): from the line's earliest weeks when it is
-- in earliest_lines, from its latest otherwise. Returns what it took, per
-- line and week. The one place chips leave a stored plan.
CREATE FUNCTION take_from_plan(plan_run bigint, lines bigint[], chips bigint[], earliest_lines bigint[])
RETURNS TABLE (taken_line bigint, taken_week text, taken_chips integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    WITH wanted AS (
        SELECT w.line_id, sum(w.chips) AS chips FROM unnest(lines, chips) AS w(line_id, chips)
        WHERE w.chips > 0 GROUP BY w.line_id
    ), cut AS (
        SELECT a.order_line_id, a.week, a.quantity,
               least(a.quantity, greatest(0, o.chips - coalesce(sum(a.quantity) OVER (
                   PARTITION BY a.order_line_id
                   ORDER BY CASE WHEN a.order_line_id = ANY (earliest_lines) THEN a.week END ASC, a.week DESC
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))::integer AS cut
        FROM allocations a JOIN wanted o ON o.line_id = a.order_line_id
        WHERE a.run_id = plan_run AND a.order_line_id = ANY (lines)
    ), removed AS (
        DELETE FROM allocations a USING cut c
        WHERE a.run_id = plan_run AND a.order_line_id = c.order_line_id AND a.week = c.week AND c.cut = c.quantity
        RETURNING c.order_line_id, c.week::text, c.cut
    ), reduced AS (
        UPDATE allocations a SET quantity = a.quantity - c.cut FROM cut c
        WHERE a.run_id = plan_run AND a.order_line_id = c.order_line_id AND a.week = c.week
          AND c.cut > 0 AND c.cut < c.quantity
        RETURNING c.order_line_id, c.week::text, c.cut
    )
    SELECT * FROM removed UNION ALL SELECT * FROM reduced;
END $$;

-- As in 007 (same lines, same order), with the chips taken by take_from_plan.
CREATE OR REPLACE FUNCTION trim_plan(plan_run bigint, only_lines bigint[], shipped_lines bigint[]) RETURNS bigint
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
    SELECT coalesce(sum(t.taken_chips), 0) INTO taken FROM take_from_plan(plan_run, over_lines, over_chips, shipped_lines) t;
    RETURN taken;
END $$;

-- What the current plan has for line `line_id` up to and including week
-- `through_week`: its run (NULL when there is no plan), the chips it
-- confirmed to the line in those weeks, the chips shipments have drawn from
-- them, and what is still due (confirmed - shipped: what it holds there now).
CREATE FUNCTION line_plan_due(line_id bigint, through_week iso_week)
RETURNS TABLE (plan_run bigint, confirmed bigint, shipped bigint, due bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    plan  bigint;
    held  bigint;
    drawn bigint;
BEGIN
    SELECT p.run_id INTO plan FROM current_plan p;
    SELECT coalesce(sum(a.quantity), 0) INTO held FROM allocations a
    WHERE a.run_id = plan AND a.order_line_id = line_id AND a.week <= through_week::text;
    SELECT coalesce(sum(d.quantity), 0) INTO drawn FROM shipment_draws d
    WHERE d.run_id = plan AND d.order_line_id = line_id AND d.week <= through_week::text;
    RETURN QUERY SELECT plan, held + drawn, drawn, held;
END $$;

-- Shipping ---------------------------------------------------------------------------

DROP FUNCTION ship_order_line(bigint, integer);

-- Ships `chips` chips against line `line_id` for week `through_week` (NULL:
-- the current ISO week, UTC): the ledger movement, the chips taken out of
-- the plan and the line's shipped quantity, together. Refused (check
-- violation, the column named, the message "order N line M: <field>
-- <problem>") when the customer is not export-cleared or on credit hold,
-- the quantity is not whole lots, more than is open, more than is on hand,
-- or more than the plan has due through that week unless `beyond_plan` is
-- true and `reason` is given. Returns the plan's figures for the line
-- through that week as they were before this shipment.
CREATE FUNCTION ship_order_line(line_id bigint, chips integer, through_week iso_week, beyond_plan boolean, reason text)
RETURNS TABLE (plan_run bigint, due_week iso_week, confirmed bigint, shipped_before bigint, due bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    line     record;
    plan     bigint;
    figures  record;
    week     iso_week := coalesce(through_week, iso_week_of(now()));
    note     text := nullif(btrim(reason), '');
    on_hand  bigint;
    beyond   boolean;
    movement bigint;
BEGIN
    -- A snapshot older than the lock below would read a plan that may no longer be current.
    PERFORM require_read_committed('shipping against the plan');
    -- The plan cannot change until this transaction ends (a run's commit waits for it).
    LOCK TABLE current_plan IN ROW SHARE MODE;
    SELECT l.id, l.order_id, l.line_no, l.sku, l.lot_size, l.quantity - l.cancelled_qty - l.shipped_qty AS open,
           c.id AS customer, c.compliance, c.credit_hold INTO line
    FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers c ON c.id = o.customer_id
    WHERE l.id = line_id
    FOR UPDATE OF l;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'order line % does not exist', line_id USING ERRCODE = 'no_data_found';
    END IF;
    IF chips IS NULL OR chips <= 0 THEN
        RAISE EXCEPTION 'order % line %: quantity must be a positive number of chips (got %)', line.order_id, line.line_no, chips
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shipments_quantity_positive', COLUMN = 'quantity';
    END IF;
    IF line.compliance <> 'cleared' THEN
        RAISE EXCEPTION 'order % line %: customer % is not export-cleared (%); nothing may ship', line.order_id, line.line_no,
            line.customer, line.compliance
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shipments_customer_cleared', COLUMN = 'customer';
    END IF;
    IF line.credit_hold THEN
        RAISE EXCEPTION 'order % line %: customer % is on credit hold; nothing may ship', line.order_id, line.line_no, line.customer
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shipments_customer_not_on_hold', COLUMN = 'customer';
    END IF;
    IF chips % line.lot_size <> 0 THEN
        RAISE EXCEPTION 'order % line %: quantity % is not a whole number of lots of % (lot size %)', line.order_id, line.line_no,
            chips, line.sku, line.lot_size
            USING ERRCODE = 'check_violation', CONSTRAINT = 'order_lines_whole_lots', COLUMN = 'quantity';
    END IF;
    IF chips > line.open THEN
        RAISE EXCEPTION 'order % line %: quantity % is more than the % still open', line.order_id, line.line_no, chips, line.open
            USING ERRCODE = 'check_violation', CONSTRAINT = 'order_lines_not_over_closed', COLUMN = 'quantity';
    END IF;
    IF coalesce(beyond_plan, false) AND note IS NULL THEN
        RAISE EXCEPTION 'order % line %: reason must be given for a shipment beyond the plan', line.order_id, line.line_no
            USING ERRCODE = 'check_violation', CONSTRAINT = 'movements_beyond_plan_shape', COLUMN = 'reason';
    END IF;
    IF length(note) > 500 THEN
        RAISE EXCEPTION 'order % line %: reason must be at most 500 characters', line.order_id, line.line_no
            USING ERRCODE = 'check_violation', CONSTRAINT = 'movements_note_length', COLUMN = 'reason';
    END IF;

    SELECT p.run_id INTO plan FROM current_plan p;
    SELECT * INTO figures FROM line_plan_due(line_id, week);
    beyond := chips > figures.due;
    IF beyond AND NOT coalesce(beyond_plan, false) THEN
        IF plan IS NULL THEN
            RAISE EXCEPTION 'order % line %: quantity % is more than is due through %: there is no plan yet (no allocation run), so nothing is due; run the allocation, or ship --beyond-plan with a --reason',
                line.order_id, line.line_no, chips, week
                USING ERRCODE = 'check_violation', CONSTRAINT = 'shipments_within_plan', COLUMN = 'quantity';
        END IF;
        RAISE EXCEPTION 'order % line %: quantity % is more than is due through %: the plan (run %) confirms % chips to the line by then, % of them shipped, % due; %give a later --week, or ship --beyond-plan with a --reason',
            line.order_id, line.line_no, chips, week, plan, figures.confirmed, figures.shipped, figures.due,
            CASE WHEN figures.due > 0 THEN format('ship at most %s, ', figures.due) ELSE '' END
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shipments_within_plan', COLUMN = 'quantity';
    END IF;

    SELECT b.on_hand INTO on_hand FROM inventory_balances b WHERE b.sku = line.sku FOR UPDATE;
    IF chips > coalesce(on_hand, 0) THEN
        RAISE EXCEPTION 'order % line %: quantity % is more than the % of % on hand', line.order_id, line.line_no, chips,
            coalesce(on_hand, 0), line.sku
            USING ERRCODE = 'check_violation', CONSTRAINT = 'inventory_on_hand_not_negative', COLUMN = 'quantity';
    END IF;

    INSERT INTO inventory_movements (sku, kind, quantity, order_line_id, note, beyond_plan, plan_run, plan_week, xact)
    VALUES (line.sku, 'shipment', -chips, line.id, note, beyond, plan, week, pg_current_xact_id())
    RETURNING id INTO movement;
    IF plan IS NOT NULL THEN
        INSERT INTO shipment_draws (movement_id, run_id, order_line_id, week, quantity)
        SELECT movement, plan, t.taken_line, t.taken_week, t.taken_chips
        FROM take_from_plan(plan, ARRAY[line.id], ARRAY[chips::bigint], ARRAY[line.id]) t;
    END IF;
    -- The audit event (order_lines_audit_update) takes its reason from this setting.
    IF beyond THEN
        PERFORM set_config('chipsales.reason',
                           format('beyond the plan: %s (%s chips shipped, %s due through %s)', note, chips, figures.due, week), true);
    ELSIF note IS NOT NULL THEN
        PERFORM set_config('chipsales.reason', note, true);
    END IF;
    UPDATE order_lines SET shipped_qty = shipped_qty + chips WHERE id = line.id;
    RETURN QUERY SELECT plan, week, figures.confirmed, figures.shipped, figures.due;
END $$;

-- Committing a run ----------------------------------------------------------------------

DROP FUNCTION allocation_run_commit(bigint);

-- As in 007, and: before it locks order_lines, it locks current_plan in
-- EXCLUSIVE mode (shipments in flight finish first, new ones wait for the new
-- plan); the chips of shipments that committed after `input_snapshot` (the
-- snapshot the run read its input in) are taken out of the new plan, each
-- line's earliest weeks first, before the plan is trimmed to what is open;
-- both count as trimmed. The released total is summed from the run's
-- allocation_releases rows.
CREATE FUNCTION allocation_run_commit(run bigint, input_snapshot pg_snapshot) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part        text := format('allocations_run_%s', run);
    wrong       text;
    late_lines  bigint[];
    late_chips  bigint[];
    trimmed     bigint := 0;
BEGIN
    PERFORM 1 FROM allocation_runs r WHERE r.id = run AND r.writing FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'allocation run % is not being written in this transaction', run
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF input_snapshot IS NULL THEN
        RAISE EXCEPTION 'allocation run %: the snapshot its input was read in is required', run
            USING ERRCODE = 'null_value_not_allowed';
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

    LOCK TABLE current_plan IN EXCLUSIVE MODE;
    LOCK TABLE order_lines IN SHARE MODE;
    SELECT array_agg(s.line_id), array_agg(s.chips) INTO late_lines, late_chips
    FROM (SELECT m.order_line_id AS line_id, -sum(m.quantity) AS chips FROM inventory_movements m
          WHERE m.xact >= pg_snapshot_xmin(input_snapshot) AND m.kind = 'shipment'
            AND NOT pg_visible_in_snapshot(m.xact, input_snapshot)
          GROUP BY m.order_line_id) s;
    IF late_lines IS NOT NULL THEN
        SELECT coalesce(sum(t.taken_chips), 0) INTO trimmed FROM take_from_plan(run, late_lines, late_chips, late_lines) t;
    END IF;
    trimmed := trimmed + trim_plan(run, NULL, NULL);
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
    UPDATE allocation_runs
    SET writing = false, finished_at = clock_timestamp(),
        released_chips = (SELECT coalesce(sum(x.quantity), 0) FROM allocation_releases x WHERE x.run_id = run)
    WHERE id = run;
    RETURN trimmed;
END $$;

-- Privileges ------------------------------------------------------------------------

GRANT SELECT, INSERT ON allocation_releases TO chipsales_app;
GRANT SELECT ON shipment_draws TO chipsales_app;

REVOKE EXECUTE ON FUNCTION take_from_plan(bigint, bigint[], bigint[], bigint[]), line_plan_due(bigint, iso_week),
    ship_order_line(bigint, integer, iso_week, boolean, text), allocation_run_commit(bigint, pg_snapshot) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION line_plan_due(bigint, iso_week), ship_order_line(bigint, integer, iso_week, boolean, text),
    allocation_run_commit(bigint, pg_snapshot) TO chipsales_app;
