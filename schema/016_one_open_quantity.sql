-- 016 One definition of "open": a line's open quantity (ordered, less what
-- was cancelled and what shipped) is `order_line_open(order_lines)` (002),
-- and every function and view that needs it calls it instead of restating
-- `quantity - cancelled_qty - shipped_qty`. The function is plain SQL,
-- immutable: PostgreSQL inlines it into each query, so plans and speed are
-- those of the expression it replaces (the commit's trim, the trigger and
-- the reads use the same indexes and scans as before).
--
-- Restated here with the function, otherwise as they were:
--   order_line_status     (002: a line's open quantity and status)
--   run_lines_to_trim,    (012: the lines a run or the current plan holds
--   trim_plan,             too much for, and the one set-wise trim the
--   order_lines_trim_plan  trigger and a run's commit both use)
--   ship_order_line       (011: more than is open is refused)
--   order_lines_check_cancellation (007: a cancellation leaves nothing open)
--   report_confirmations  (012: open, and which lines are open)
-- Trimming a plan to what is open stays in one place, `trim_plan` (used by
-- order_lines_trim_plan after a change and by allocation_run_commit after a
-- run); a run reads frozen weeks capped at each line's open quantity.

-- As in 002, with the open quantity from order_line_open.
CREATE OR REPLACE VIEW order_line_status AS
SELECT l.id, l.order_id, l.line_no, l.sku, l.lot_size, l.quantity, l.requested_week, l.unit_price, l.currency,
       l.cancelled_qty, l.shipped_qty,
       order_line_open(l) AS open_qty,
       CASE
           WHEN l.cancelled_qty = l.quantity THEN 'cancelled'
           WHEN order_line_open(l) = 0 THEN 'shipped'
           WHEN l.shipped_qty > 0 THEN 'partially_shipped'
           ELSE 'open'
       END AS status
FROM order_lines l;

-- As in 012.
CREATE OR REPLACE FUNCTION run_lines_to_trim(plan_run bigint) RETURNS TABLE (line_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp SET enable_nestloop = off SET enable_hashjoin = off SET enable_hashagg = off
SET max_parallel_workers_per_gather = 0 SET jit = off AS $$
    SELECT h.order_line_id
    FROM (SELECT a.order_line_id, sum(a.quantity) AS held, min(a.week) AS first_week FROM allocations a
          WHERE a.run_id = plan_run GROUP BY a.order_line_id) h
    LEFT JOIN order_lines l ON l.id = h.order_line_id
    WHERE h.held > coalesce(order_line_open(l), 0)
       OR h.first_week < l.requested_week COLLATE "C"
$$;

-- As in 012.
CREATE OR REPLACE FUNCTION trim_plan(plan_run bigint, only_lines bigint[], shipped_lines bigint[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    lines       bigint[] := only_lines;
    early_lines bigint[];
    early_chips bigint[];
    over_lines  bigint[];
    over_chips  bigint[];
    taken       bigint := 0;
BEGIN
    -- Finding the lines to trim is the whole cost when there is none (the
    -- usual case); their rows are then found by the primary key.
    IF only_lines IS NULL THEN
        SELECT array_agg(t.line_id) INTO lines FROM run_lines_to_trim(plan_run) t;
    END IF;
    IF lines IS NULL THEN
        RETURN 0;
    END IF;
    -- Per line: the chips held before its requested week, and those held
    -- from then on beyond its open quantity.
    SELECT array_agg(f.line_id) FILTER (WHERE f.early > 0), array_agg(f.early) FILTER (WHERE f.early > 0),
           array_agg(f.line_id) FILTER (WHERE f.allowed > f.open), array_agg(f.allowed - f.open) FILTER (WHERE f.allowed > f.open)
    INTO early_lines, early_chips, over_lines, over_chips
    FROM (SELECT a.order_line_id AS line_id,
                 coalesce(sum(a.quantity) FILTER (WHERE a.week < l.requested_week COLLATE "C"), 0) AS early,
                 coalesce(sum(a.quantity) FILTER (WHERE l.requested_week IS NULL OR a.week >= l.requested_week COLLATE "C"), 0)
                     AS allowed,
                 coalesce(order_line_open(l), 0) AS open
          FROM allocations a LEFT JOIN order_lines l ON l.id = a.order_line_id
          WHERE a.run_id = plan_run AND a.order_line_id = ANY (lines)
          GROUP BY a.order_line_id, l.id) f;
    IF early_lines IS NOT NULL THEN
        SELECT taken + coalesce(sum(t.taken_chips), 0) INTO taken
        FROM take_from_plan(plan_run, early_lines, early_chips, early_lines) t;
    END IF;
    IF over_lines IS NOT NULL THEN
        SELECT taken + coalesce(sum(t.taken_chips), 0) INTO taken
        FROM take_from_plan(plan_run, over_lines, over_chips, shipped_lines) t;
    END IF;
    RETURN taken;
END $$;

-- As in 012.
CREATE OR REPLACE FUNCTION order_lines_trim_plan() RETURNS trigger
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
    WHERE order_line_open(n) < order_line_open(o)
       OR n.requested_week COLLATE "C" > o.requested_week COLLATE "C";
    IF changed IS NOT NULL THEN
        PERFORM trim_plan(plan, changed, shipped);
    END IF;
    RETURN NULL;
END $$;

-- As in 011.
CREATE OR REPLACE FUNCTION ship_order_line(line_id bigint, chips integer, through_week iso_week, beyond_plan boolean, reason text)
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
    SELECT l.id, l.order_id, l.line_no, l.sku, l.lot_size, order_line_open(l) AS open,
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

-- As in 012.
CREATE OR REPLACE VIEW report_confirmations AS
SELECT plan.run_id, plan.as_of, plan.previous_run_id,
       o.customer_id, o.id AS order_id, o.reference, l.line_no, l.sku, l.quantity,
       l.requested_week::text AS requested_week, line.open,
       schedule.confirmed, schedule.first_confirmed_week, schedule.confirmed_weeks,
       line.open - schedule.confirmed AS unconfirmed,
       CASE WHEN line.is_new THEN 'new'
            WHEN line.is_amended THEN 'amended'
            WHEN schedule.worse THEN 'worse'
            WHEN schedule.better THEN 'better'
            ELSE 'unchanged' END AS change,
       CASE WHEN NOT line.is_new THEN schedule.previous_confirmed END AS previous_confirmed
FROM orders o
JOIN order_lines l ON l.order_id = o.id
-- The current plan's run and the run before it (NULLs: no plan yet).
LEFT JOIN (
    SELECT c.run_id, r.as_of::text AS as_of, r.finished_at AS stored_at, p.id AS previous_run_id,
           p.finished_at AS previous_stored_at
    FROM current_plan c
    JOIN allocation_runs r ON r.id = c.run_id
    LEFT JOIN LATERAL (
        SELECT x.id, x.finished_at FROM allocation_runs x WHERE x.id < c.run_id ORDER BY x.id DESC LIMIT 1
    ) p ON true
) plan ON true
CROSS JOIN LATERAL (
    SELECT order_line_open(l) AS open,
           plan.previous_run_id IS NULL OR coalesce(l.entered_at, o.placed_at) > plan.previous_stored_at AS is_new,
           EXISTS (SELECT 1 FROM order_events e
                   WHERE e.order_id = o.id AND e.line_no = l.line_no AND e.action = 'amended'
                     AND e.at > plan.stored_at) AS is_amended
) line
CROSS JOIN LATERAL (
    SELECT coalesce(sum(k.now_chips), 0)::int AS confirmed,
           min(k.week) FILTER (WHERE k.now_chips > 0) AS first_confirmed_week,
           coalesce(string_agg(k.week || ':' || k.now_chips, ' ' ORDER BY k.week) FILTER (WHERE k.now_chips > 0), '')
               AS confirmed_weeks,
           greatest(0, coalesce(sum(k.previous_chips), 0) - coalesce(sum(k.stored_chips - k.now_chips), 0))::int
               AS previous_confirmed,
           coalesce(bool_or(k.stored_by_week < k.previous_by_week), false) AS worse,
           coalesce(bool_or(k.stored_by_week > k.previous_by_week), false) AS better
    FROM (
        -- Per week: chips in the current plan now, as its run stored them,
        -- and in the previous plan; with running totals of the last two.
        SELECT w.week, w.now_chips, w.stored_chips, w.previous_chips,
               sum(w.stored_chips) OVER (ORDER BY w.week) AS stored_by_week,
               sum(w.previous_chips) OVER (ORDER BY w.week) AS previous_by_week
        FROM (
            SELECT u.week, sum(u.now_chips) AS now_chips, sum(u.now_chips - u.changed) AS stored_chips,
                   sum(u.previous_chips) AS previous_chips
            FROM (
                SELECT a.week, a.quantity AS now_chips, 0 AS changed, 0 AS previous_chips
                FROM allocations a WHERE a.run_id = plan.run_id AND a.order_line_id = l.id
                UNION ALL
                SELECT t.week, 0, t.change, 0
                FROM allocation_changes t WHERE t.run_id = plan.run_id AND t.order_line_id = l.id
                UNION ALL
                SELECT a.week, 0, 0, a.quantity
                FROM allocations a WHERE a.run_id = plan.previous_run_id AND a.order_line_id = l.id
            ) u
            GROUP BY u.week
        ) w
    ) k
) schedule
WHERE order_line_open(l) > 0;

COMMENT ON VIEW report_confirmations IS
    'Per open order line: the current plan''s confirmed chips by week, the unconfirmed rest, and the change since the previous run (new, amended, worse, better, unchanged).';

-- As in 007: a cancellation leaves nothing open (the open chips it names are
-- the line's before this cancellation).
CREATE OR REPLACE FUNCTION order_lines_check_cancellation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.cancelled_qty < OLD.cancelled_qty THEN
        RAISE EXCEPTION 'order % line %: a cancellation is final (% chips cancelled, % asked)',
            OLD.order_id, OLD.line_no, OLD.cancelled_qty, NEW.cancelled_qty
            USING ERRCODE = 'check_violation', TABLE = 'order_lines', CONSTRAINT = 'order_lines_cancellation_final';
    END IF;
    -- (More than is open is order_lines_not_over_closed's to refuse.)
    IF NEW.cancelled_qty > OLD.cancelled_qty AND order_line_open(NEW) > 0 THEN
        RAISE EXCEPTION 'order % line %: a cancellation cancels all that is open (% chips), not %',
            OLD.order_id, OLD.line_no, order_line_open(NEW) + NEW.cancelled_qty - OLD.cancelled_qty,
            NEW.cancelled_qty - OLD.cancelled_qty
            USING ERRCODE = 'check_violation', TABLE = 'order_lines', CONSTRAINT = 'order_lines_cancellation_whole';
    END IF;
    RETURN NEW;
END $$;

-- A function a view calls is executed with the privileges of the login that
-- reads the view: the reporting role reads report_confirmations, which now
-- calls order_line_open (the app role may already execute it, since 004).
GRANT EXECUTE ON FUNCTION order_line_open(order_lines) TO chipsales_reporting;
