-- 010 Confirmations: what the current plan confirms on every open order
-- line, and how that changed since the previous run, in one view that the
-- order desk (`order show`, `order list`, `order confirmations`) and the
-- reporting role read alike. docs/operators.md ("Confirmations") says the
-- same in plain words.
--
--   confirmed    the current plan's allocations for the line, week by week.
--                The plan is trimmed in place when the line is cancelled,
--                reduced or shipped beyond it, so this is still to ship.
--   unconfirmed  the line's open quantity (ordered - cancelled - shipped)
--                minus confirmed.
--   previous run the run stored just before the current plan's run (every
--                stored run has a plan: dry runs store nothing).
--   new          there is no previous run, or the line was entered after
--                the previous run was stored (so that run cannot have read
--                it). A line entered while the previous run was computing
--                counts as known to it, with nothing confirmed.
--   change       the current run's confirmation of the line as that run
--                stored it, against the previous run's as it stood when it
--                was replaced, compared week by week as running totals:
--                worse     by some week, fewer chips are confirmed than the
--                          previous run confirmed by that week (a promised
--                          chip now comes later, or not at all);
--                better    not worse, and by some week more are confirmed
--                          (more chips, or the same chips earlier);
--                unchanged the same chips in the same weeks.
--                Shipping, cancelling or reducing the line after the run
--                trims the plan but does not change this.
--   previous_confirmed
--                the previous run's confirmed chips for the line, less what
--                has been trimmed from the current plan's since it was
--                stored (shipped or cancelled), never below 0: the figure to
--                read beside `confirmed`. NULL for a new line.
--
-- The plan "as that run stored it" is the current plan plus what was trimmed
-- from it since, which `allocation_changes` records. The view calls no
-- function of this schema (views run with their owner's rights, but
-- functions inside them as the caller), so a login holding only
-- chipsales_reporting can read it.

-- When each line was entered (lines added to an existing order included).
-- Lines entered before this migration keep NULL: they came with their
-- order, whose placed_at stands in. Set apart from ADD COLUMN so existing
-- rows are not stamped with the migration's time (and nothing is rewritten).
ALTER TABLE order_lines ADD COLUMN entered_at timestamptz;
ALTER TABLE order_lines ALTER COLUMN entered_at SET DEFAULT now();
COMMENT ON COLUMN order_lines.entered_at IS
    'When the line was entered; NULL for lines entered before migration 010 (their order''s placed_at).';

-- Every change to the current plan's allocations after its run stored them
-- (the trims of cancellations, reductions and shipments), so the view can
-- tell what that run confirmed. Written only by the trigger below; the
-- run's own rows go into its partition before the partition is attached
-- (and before the run is the current plan), so they are not logged.
CREATE TABLE allocation_changes (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        bigint      NOT NULL REFERENCES allocation_runs (id),
    -- No foreign key to order_lines: a referenced-side check on every line
    -- update would cost bulk changes more than it guards (lines are never
    -- deleted, and the rows come from the plan's own allocations).
    order_line_id bigint      NOT NULL,
    week          text        COLLATE "C" NOT NULL,
    -- New quantity minus old: negative for chips taken back.
    change        integer     NOT NULL CONSTRAINT allocation_changes_not_zero CHECK (change <> 0),
    at            timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX allocation_changes_run_line_idx ON allocation_changes (run_id, order_line_id);
COMMENT ON TABLE allocation_changes IS
    'Changes to the current plan''s allocations after its run stored them (trims); written by a trigger.';

CREATE FUNCTION allocations_log_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r      record;
    change integer;
BEGIN
    IF TG_OP = 'INSERT' THEN
        r := NEW;
        change := NEW.quantity;
    ELSIF TG_OP = 'DELETE' THEN
        r := OLD;
        change := -OLD.quantity;
    ELSE
        r := OLD;
        change := NEW.quantity - OLD.quantity;
    END IF;
    -- Only the current plan: not a run being stored, nor a plan replaced.
    IF change <> 0 AND r.run_id = (SELECT run_id FROM current_plan) THEN
        INSERT INTO allocation_changes (run_id, order_line_id, week, change)
        VALUES (r.run_id, r.order_line_id, r.week, change);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER allocations_log_change AFTER INSERT OR UPDATE OR DELETE ON allocations
    FOR EACH ROW EXECUTE FUNCTION allocations_log_change();

REVOKE EXECUTE ON FUNCTION allocations_log_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION allocations_log_change() TO chipsales_app;
GRANT SELECT ON allocation_changes TO chipsales_app;

CREATE VIEW report_confirmations AS
SELECT plan.run_id, plan.as_of, plan.previous_run_id,
       o.customer_id, o.id AS order_id, o.reference, l.line_no, l.sku, l.quantity,
       l.requested_week::text AS requested_week, line.open,
       schedule.confirmed, schedule.first_confirmed_week, schedule.confirmed_weeks,
       line.open - schedule.confirmed AS unconfirmed,
       CASE WHEN line.is_new THEN 'new'
            WHEN schedule.worse THEN 'worse'
            WHEN schedule.better THEN 'better'
            ELSE 'unchanged' END AS change,
       CASE WHEN NOT line.is_new THEN schedule.previous_confirmed END AS previous_confirmed
FROM orders o
JOIN order_lines l ON l.order_id = o.id
-- The current plan's run and the run before it (NULLs: no plan yet).
LEFT JOIN (
    SELECT c.run_id, r.as_of::text AS as_of, p.id AS previous_run_id, p.finished_at AS previous_stored_at
    FROM current_plan c
    JOIN allocation_runs r ON r.id = c.run_id
    LEFT JOIN LATERAL (
        SELECT x.id, x.finished_at FROM allocation_runs x WHERE x.id < c.run_id ORDER BY x.id DESC LIMIT 1
    ) p ON true
) plan ON true
CROSS JOIN LATERAL (
    SELECT l.quantity - l.cancelled_qty - l.shipped_qty AS open,
           plan.previous_run_id IS NULL OR coalesce(l.entered_at, o.placed_at) > plan.previous_stored_at AS is_new
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
    'Per open order line: the current plan''s confirmed chips by week, the unconfirmed rest, and the change since the previous run.';

GRANT SELECT ON report_confirmations TO chipsales_app, chipsales_reporting;
