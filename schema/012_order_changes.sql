-- 012 Order changes a buyer asks for: a line added to an order, and the
-- current plan following a line that moved. docs/operators.md ("Changing
-- an order") says the same in plain words.
--
-- 1. Added lines. A line inserted into an order that already has its
--    'created' event is an addition: one 'added' event per line, with the
--    line number, the reason and the line as `after` (`before` is empty: the
--    line did not exist). The lines of a new order still make one 'created'
--    event per order. New lines get `entered_at` = now (010), so
--    confirmations call them new until a run has seen them.
--
-- 2. The plan holds nothing before a line's requested week. A run never
--    plans a line before its requested week (allocation.md, step 3), so a
--    line moved later gives up the chips the current plan held for it in
--    the weeks before its new week: they go back to the week's stock for the
--    next run, and the line is planned again from its new week. A line moved
--    earlier keeps what it holds (late, not wrong); the next run may bring it
--    forward. `trim_plan` (007, 011) takes back both what a line holds
--    before its requested week and what it holds beyond its open quantity,
--    for the current plan when lines change and for a run at commit (a line
--    moved while the run computed). It starts from 011's: the chips leave
--    the plan through `take_from_plan`, and a run's commit
--    (`allocation_run_commit`, 011, unchanged here) first takes out the
--    chips of shipments the run did not see (earliest weeks first, as a
--    shipment takes them, with its `shipment_draws`), then calls trim_plan.
--    A shipment's own chips and draws stay 011's business: trim_plan finds
--    nothing more to take from a line that just shipped within its plan.
--    The rows taken back from the current plan are logged in
--    `allocation_changes` (010). The current plan is brought in line once,
--    below.
--
-- 3. Confirmations (010's view): a line whose quantity or week changed after
--    the current plan's run was stored is `amended` until the next run: the
--    plan has followed the change only by giving chips up, and its verdict
--    against the previous run answered another request. (The next run is
--    compared with this plan as it stood when replaced, trims included, so
--    its verdict reads against what the amendment left.) A line entered
--    after the previous run is still `new`, first; both win over worse,
--    better and unchanged.
--
-- (`order_line_status` (002) is `SELECT l.*, …`: it kept the columns
-- order_lines had then. A migration that recreates it must list
-- `entered_at` after them, or drop and recreate it.)

-- 1. Added lines --------------------------------------------------------------------

ALTER TABLE order_events DROP CONSTRAINT order_events_action;
ALTER TABLE order_events ADD CONSTRAINT order_events_action
    CHECK (action IN ('created', 'added', 'amended', 'cancelled', 'shipped')) NOT VALID;
ALTER TABLE order_events VALIDATE CONSTRAINT order_events_action;

-- One 'created' event per new order (as in 005), one 'added' event per line
-- added to an order that has events already. Those orders are looked up in
-- the statement's order-id range only: an import's orders are new (nothing
-- to find), an addition's is one.
CREATE OR REPLACE FUNCTION order_lines_audit_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    low   bigint;
    high  bigint;
    known bigint[];
BEGIN
    SELECT min(n.order_id), max(n.order_id) INTO low, high FROM new_lines n;
    SELECT array_agg(DISTINCT e.order_id) INTO known FROM order_events e WHERE e.order_id BETWEEN low AND high;
    INSERT INTO order_events (order_id, action, after)
    SELECT n.order_id, 'created',
           jsonb_build_object('lines', count(*), 'quantity', sum(n.quantity),
                              'first_week', min(n.requested_week COLLATE "C"), 'last_week', max(n.requested_week COLLATE "C"))
    FROM new_lines n
    WHERE known IS NULL OR n.order_id <> ALL (known)
    GROUP BY n.order_id;
    IF known IS NOT NULL THEN
        INSERT INTO order_events (order_id, line_no, action, reason, before, after)
        SELECT n.order_id, n.line_no, 'added', nullif(current_setting('chipsales.reason', true), ''), NULL,
               jsonb_build_object('sku', n.sku, 'quantity', n.quantity, 'cancelled', n.cancelled_qty, 'shipped', n.shipped_qty,
                                  'week', n.requested_week, 'unit_price', n.unit_price)
        FROM new_lines n
        WHERE n.order_id = ANY (known)
        ORDER BY n.order_id, n.line_no;
    END IF;
    RETURN NULL;
END $$;

-- 2. The plan holds nothing before a line's requested week ------------------------

-- The lines run `plan_run` holds chips for that it may not: more than is
-- open (a line that does not exist has none open), or any in a week before
-- the line's requested week. One pass over the run's allocations in key
-- order merged with order_lines in id order, as 007's run_lines_over_open,
-- which this replaces.
CREATE FUNCTION run_lines_to_trim(plan_run bigint) RETURNS TABLE (line_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp SET enable_nestloop = off SET enable_hashjoin = off SET enable_hashagg = off
SET max_parallel_workers_per_gather = 0 SET jit = off AS $$
    SELECT h.order_line_id
    FROM (SELECT a.order_line_id, sum(a.quantity) AS held, min(a.week) AS first_week FROM allocations a
          WHERE a.run_id = plan_run GROUP BY a.order_line_id) h
    LEFT JOIN order_lines l ON l.id = h.order_line_id
    WHERE h.held > coalesce(l.quantity - l.cancelled_qty - l.shipped_qty, 0)
       OR h.first_week < l.requested_week COLLATE "C"
$$;

-- Takes back what run `plan_run` holds for its lines that they may not
-- hold and returns the chips taken: first every chip in a week before the
-- line's requested week (they are its earliest), then what its other weeks
-- hold beyond its open quantity: from its earliest weeks for a line in
-- `shipped_lines` (the chips that shipped were the first allocated), from
-- its latest for any other (a cancellation or reduction gives up what was
-- due last). `only_lines` narrows the look to those lines (NULL: every line
-- the run allocates to). As in 011, the chips leave the plan through
-- take_from_plan, the one place they do; this replaces 011's trim_plan
-- (which only trimmed to the open quantity), for the current plan when
-- lines change and for a run at commit (after 011's allocation_run_commit
-- has taken out the chips of shipments the run did not see).
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
                 coalesce(l.quantity - l.cancelled_qty - l.shipped_qty, 0) AS open
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

DROP FUNCTION run_lines_over_open(bigint);

-- After a run, the current plan follows the lines: whatever a statement
-- ships, cancels or reduces, and every line it moves to a later week, is
-- trimmed set-wise.
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
    WHERE n.quantity - n.cancelled_qty - n.shipped_qty < o.quantity - o.cancelled_qty - o.shipped_qty
       OR n.requested_week COLLATE "C" > o.requested_week COLLATE "C";
    IF changed IS NOT NULL THEN
        PERFORM trim_plan(plan, changed, shipped);
    END IF;
    RETURN NULL;
END $$;

REVOKE EXECUTE ON FUNCTION run_lines_to_trim(bigint) FROM PUBLIC;

-- The current plan as a run would store it now: lines moved later before
-- this migration give up their early weeks (logged as changes, by 010).
SELECT trim_plan(run_id, NULL, NULL) FROM current_plan;

-- 3. Confirmations: amended lines ----------------------------------------------------

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
    SELECT l.quantity - l.cancelled_qty - l.shipped_qty AS open,
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
WHERE l.quantity - l.cancelled_qty - l.shipped_qty > 0;

COMMENT ON VIEW report_confirmations IS
    'Per open order line: the current plan''s confirmed chips by week, the unconfirmed rest, and the change since the previous run (new, amended, worse, better, unchanged).';
