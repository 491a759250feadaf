-- 015 A run's commit checks the lines that changed since it read its input.
--
-- 1. Changed lines. Every statement that changes an order line's quantity,
--    cancelled or shipped chips or requested week records the line and its
--    transaction (`order_line_changes`, written by a statement trigger with
--    the owner's rights; lines are never deleted, 002). A transaction's id is
--    what a snapshot can be asked about: a change is invisible to the
--    snapshot a run read its input in exactly when it committed after that
--    read, or was in flight during it (the interleaving of issue 11: a
--    cancellation that began before the read and committed while the run
--    waited for its lock). Timestamps cannot tell that; transaction ids can.
--
-- 2. The check at commit (`allocation_run_commit`, as in 011, otherwise
--    unchanged). Under the same locks (current_plan EXCLUSIVE, order_lines
--    SHARE: changes in flight commit first, new ones wait), it takes out the
--    chips of shipments the run did not see (011), then trims, with 012's
--    `trim_plan`, the lines that changed in transactions the run's snapshot
--    does not see: what they hold before their requested week and beyond
--    their open quantity. An index on the transaction finds them: the cost
--    follows the changes made while the run computed, not the size of the
--    plan (before: one pass over every line of the run merged with every
--    order line under the locks, about half a second at a million lines).
--    That pass still runs, before the locks, so order entry goes on during
--    it: a line that did not change since the read has the open quantity
--    and week the run read, and a run holding more for it, or holding it
--    earlier, was written wrong (the engine never does) and is refused
--    (check_violation, allocations_within_open), whoever wrote it.
--
-- 3. Statistics. The run's partition is analyzed from a sample of 3,000 rows
--    (statistics target 10 on its columns) instead of 30,000: its key is
--    unique and its other columns have few values, which a small sample
--    describes as well, in a tenth of the time.

-- 1. Changed lines ---------------------------------------------------------------

CREATE TABLE order_line_changes (
    order_line_id bigint NOT NULL,
    xact          xid8   NOT NULL DEFAULT pg_current_xact_id()
);
COMMENT ON TABLE order_line_changes IS
    'Order lines whose quantity, cancelled or shipped chips or requested week changed, with the changing transaction.';
CREATE INDEX order_line_changes_xact ON order_line_changes (xact);

CREATE TRIGGER order_line_changes_append_only BEFORE UPDATE OR DELETE ON order_line_changes
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER order_line_changes_no_truncate BEFORE TRUNCATE ON order_line_changes
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- One row per line a statement changed in what a plan may hold for it.
CREATE FUNCTION order_lines_note_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO order_line_changes (order_line_id)
    SELECT n.id FROM new_lines n JOIN old_lines o ON o.id = n.id
    WHERE n.quantity <> o.quantity OR n.cancelled_qty <> o.cancelled_qty OR n.shipped_qty <> o.shipped_qty
       OR n.requested_week COLLATE "C" <> o.requested_week COLLATE "C";
    RETURN NULL;
END $$;

CREATE TRIGGER order_lines_note_changes AFTER UPDATE ON order_lines
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION order_lines_note_changes();

-- 2. The check at commit -------------------------------------------------------------

-- As in 011, with the lines trimmed at commit found from order_line_changes
-- (those the input snapshot does not see) rather than from every line of
-- the run, and the partition analyzed from a smaller sample.
CREATE OR REPLACE FUNCTION allocation_run_commit(run bigint, input_snapshot pg_snapshot) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part        text := format('allocations_run_%s', run);
    wrong       text;
    late_lines  bigint[];
    late_chips  bigint[];
    changed     bigint[];
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
    EXECUTE format('ALTER TABLE %I ALTER COLUMN run_id SET STATISTICS 10, ALTER COLUMN order_line_id SET STATISTICS 10, '
                   'ALTER COLUMN week SET STATISTICS 10, ALTER COLUMN quantity SET STATISTICS 10, '
                   'ALTER COLUMN sku SET STATISTICS 10, ALTER COLUMN lot_size SET STATISTICS 10, '
                   'ALTER COLUMN customer_id SET STATISTICS 10', part);
    EXECUTE format('ALTER TABLE allocations ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part, run, run + 1);
    -- Statistics for the planner: later trims and shipments find their rows by key.
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

    -- Every line of the run against what it has open, before the locks (order
    -- entry goes on meanwhile): a line no change touched since the run read
    -- its input has the open quantity and week the run read, so a run that
    -- holds more for it, or holds it before its requested week, was written
    -- wrong, and is refused, whoever wrote it. Lines changed since the read
    -- are trimmed below, under the locks.
    SELECT array_agg(DISTINCT c.order_line_id) INTO changed FROM order_line_changes c
    WHERE c.xact >= pg_snapshot_xmin(input_snapshot) AND NOT pg_visible_in_snapshot(c.xact, input_snapshot);
    SELECT format('order line %s', t.line_id) INTO wrong FROM run_lines_to_trim(run) t
    WHERE changed IS NULL OR NOT t.line_id = ANY (changed)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'allocation run % holds more than an order line has open, or holds it before its requested week: %',
            run, wrong USING ERRCODE = 'check_violation', CONSTRAINT = 'allocations_within_open';
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
    SELECT array_agg(DISTINCT c.order_line_id) INTO changed FROM order_line_changes c
    WHERE c.xact >= pg_snapshot_xmin(input_snapshot) AND NOT pg_visible_in_snapshot(c.xact, input_snapshot);
    IF changed IS NOT NULL THEN
        trimmed := trimmed + trim_plan(run, changed, NULL);
    END IF;
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

REVOKE ALL ON order_line_changes FROM chipsales_app, chipsales_reporting;
REVOKE EXECUTE ON FUNCTION order_lines_note_changes() FROM PUBLIC;
