-- 004 Reporting: least-privilege roles, the reporting views, and the
-- running totals that keep them fast at a million order lines.
--
-- Group roles (NOLOGIN; a DBA grants them to login roles, see docs/reporting.md):
--   chipsales_owner      owns every object; migrations run as it
--   chipsales_app        what the CLI and the job need: DML on the domain tables, nothing else
--   chipsales_reporting  SELECT on the report_* views only
-- Roles are cluster-wide, so they are created only when missing.

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['chipsales_owner', 'chipsales_app', 'chipsales_reporting'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- made already, by this cluster's other databases (perhaps a moment ago)
        END;
    END LOOP;
END $$;

-- Migrations after this one run as the owner role, which may create objects here.
GRANT USAGE, CREATE ON SCHEMA public TO chipsales_owner;

-- Ordered, cancelled and shipped chips per customer and requested week,
-- kept current by statement-level triggers (a bulk import updates it once,
-- set-wise), so the order book never sums a million lines.
CREATE TABLE order_book_totals (
    customer_id text     NOT NULL,
    week        iso_week NOT NULL,
    ordered     bigint   NOT NULL DEFAULT 0,
    cancelled   bigint   NOT NULL DEFAULT 0,
    shipped     bigint   NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, week)
);

INSERT INTO order_book_totals (customer_id, week, ordered, cancelled, shipped)
SELECT o.customer_id, l.requested_week, sum(l.quantity), sum(l.cancelled_qty), sum(l.shipped_qty)
FROM order_lines l JOIN orders o ON o.id = l.order_id
GROUP BY o.customer_id, l.requested_week;

CREATE FUNCTION order_book_totals_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_book_totals AS t (customer_id, week, ordered, cancelled, shipped)
    SELECT o.customer_id, n.requested_week, sum(n.quantity), sum(n.cancelled_qty), sum(n.shipped_qty)
    FROM new_lines n JOIN orders o ON o.id = n.order_id
    GROUP BY o.customer_id, n.requested_week
    ORDER BY 1, 2  -- a fixed order of row locks: concurrent imports cannot deadlock here
    ON CONFLICT (customer_id, week) DO UPDATE SET
        ordered = t.ordered + EXCLUDED.ordered,
        cancelled = t.cancelled + EXCLUDED.cancelled,
        shipped = t.shipped + EXCLUDED.shipped;
    RETURN NULL;
END $$;

CREATE FUNCTION order_book_totals_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_book_totals AS t (customer_id, week, ordered, cancelled, shipped)
    SELECT d.customer_id, d.week, sum(d.ordered), sum(d.cancelled), sum(d.shipped)
    FROM (
        SELECT o.customer_id, n.requested_week AS week, n.quantity AS ordered, n.cancelled_qty AS cancelled, n.shipped_qty AS shipped
        FROM new_lines n JOIN orders o ON o.id = n.order_id
        UNION ALL
        SELECT o.customer_id, x.requested_week, -x.quantity, -x.cancelled_qty, -x.shipped_qty
        FROM old_lines x JOIN orders o ON o.id = x.order_id
    ) d
    GROUP BY d.customer_id, d.week
    ORDER BY 1, 2
    ON CONFLICT (customer_id, week) DO UPDATE SET
        ordered = t.ordered + EXCLUDED.ordered,
        cancelled = t.cancelled + EXCLUDED.cancelled,
        shipped = t.shipped + EXCLUDED.shipped;
    RETURN NULL;
END $$;

CREATE TRIGGER order_book_totals_insert AFTER INSERT ON order_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION order_book_totals_insert();
CREATE TRIGGER order_book_totals_update AFTER UPDATE ON order_lines
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION order_book_totals_update();

-- The current plan's run, for analysts: WHERE run_id = current_run_id().
CREATE FUNCTION current_run_id() RETURNS bigint
LANGUAGE sql STABLE AS $$ SELECT run_id FROM current_plan $$;

-- Order book per customer and requested week. Ordered, cancelled, shipped
-- and open are as of now; allocated is what the run's plan gave those lines.
-- Fill rate = (shipped + allocated) / (ordered - cancelled), at most 100%.
CREATE VIEW report_order_book AS
SELECT r.id AS run_id, t.customer_id, t.week::text AS week, t.ordered, t.cancelled, t.shipped,
       t.ordered - t.cancelled - t.shipped AS open,
       coalesce(b.chips, 0) AS allocated,
       CASE WHEN t.ordered > t.cancelled
            THEN least(100, round(100.0 * (t.shipped + coalesce(b.chips, 0)) / (t.ordered - t.cancelled), 1)) END AS fill_rate_pct
FROM allocation_runs r
CROSS JOIN order_book_totals t
LEFT JOIN allocation_order_book b ON b.run_id = r.id AND b.customer_id = t.customer_id AND b.requested_week = t.week::text;

-- Internal vs outside chips per SKU and week, in chips and percent of that week's supply.
CREATE VIEW report_internal_share AS
SELECT p.run_id, p.sku, p.week::text AS week, p.supply, p.available, p.allocated,
       p.internal_allocated AS internal_chips,
       p.allocated - p.internal_allocated AS outside_chips,
       round(100.0 * p.internal_allocated / nullif(p.supply, 0), 1) AS internal_pct_of_supply,
       round(100.0 * (p.allocated - p.internal_allocated) / nullif(p.supply, 0), 1) AS outside_pct_of_supply,
       round(100.0 * p.internal_allocated / nullif(p.allocated, 0), 1) AS internal_pct_of_allocated
FROM allocation_periods p;

-- Capacity utilisation per SKU and week: allocated / available, and the carry.
CREATE VIEW report_capacity AS
SELECT p.run_id, p.sku, p.week::text AS week, p.supply, p.available, p.allocated, p.carry,
       round(100.0 * p.allocated / nullif(p.available, 0), 1) AS utilisation_pct
FROM allocation_periods p;

-- Open chips the plan could not place, per customer, by the age of their
-- requested week at the run's as-of week: not yet due, 0-3, 4-12 or 13+
-- weeks late; held (compliance or credit) backlog apart.
CREATE VIEW report_backlog AS
SELECT b.run_id, b.customer_id,
       CASE
           WHEN b.requested_week > t.due THEN 'not yet due'
           WHEN b.requested_week > t.late4 THEN '0-3 weeks late'
           WHEN b.requested_week > t.late13 THEN '4-12 weeks late'
           ELSE '13+ weeks late'
       END AS age,
       b.held, sum(b.lines)::bigint AS lines, sum(b.chips)::bigint AS chips, min(b.requested_week) AS oldest_week
FROM allocation_backlog_summary b
JOIN (SELECT id, as_of::text AS due, iso_week_add(as_of, -4)::text AS late4, iso_week_add(as_of, -13)::text AS late13
      FROM allocation_runs OFFSET 0) t ON t.id = b.run_id
GROUP BY b.run_id, b.customer_id, 3, b.held;

-- Backlog over time: one row per run, by its as-of week.
CREATE VIEW report_backlog_history AS
SELECT id AS run_id, as_of::text AS as_of, finished_at, demand_chips, allocated_chips, backlog_chips
FROM allocation_runs;

-- Allocated value (chips x each line's unit price) per customer, week and currency.
CREATE VIEW report_allocated_value AS
SELECT v.run_id, v.customer_id, v.week, v.currency, v.chips, v.value
FROM allocation_values v;

-- Chips per customer gained or lost from the previous run to this one.
CREATE VIEW report_run_change AS
SELECT r.id AS run_id, r.previous_run_id, x.customer_id,
       sum(x.before)::bigint AS before, sum(x.after)::bigint AS after, (sum(x.after) - sum(x.before))::bigint AS change
FROM (SELECT id, lag(id) OVER (ORDER BY id) AS previous_run_id FROM allocation_runs) r
CROSS JOIN LATERAL (
    SELECT b.customer_id, 0::bigint AS before, b.chips AS after FROM allocation_order_book b WHERE b.run_id = r.id
    UNION ALL
    SELECT b.customer_id, b.chips, 0 FROM allocation_order_book b WHERE b.run_id = r.previous_run_id
) x
GROUP BY r.id, r.previous_run_id, x.customer_id;

-- Stock on hand and movements per SKU.
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

-- Fresh statistics for the per-run tables the reports join, after each run
-- (the job calls it): without them the planner takes a new run for empty and
-- may pick a quadratic join. ANALYZE needs the owner, hence SECURITY DEFINER.
CREATE FUNCTION analyze_run_tables() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    ANALYZE allocation_order_book, allocation_values, allocation_backlog_summary, allocation_periods;
END $$;

-- Trigger functions that write tables the app role may not write (the audit
-- trail, stock balances, running totals, the plan's trims) run with their
-- owner's rights, with a fixed search path.
ALTER FUNCTION order_lines_audit_insert() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION order_lines_audit_update() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION inventory_apply_movement() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION inventory_open_balance() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION order_book_totals_insert() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION order_book_totals_update() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION trim_current_plan(bigint, boolean) SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION order_lines_trim_plan() SECURITY DEFINER SET search_path = public, pg_temp;

-- Everything in the schema belongs to the owner role.
DO $$
DECLARE
    o record;
BEGIN
    FOR o IN
        SELECT c.relname, c.relkind FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'S', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i')
    LOOP
        EXECUTE format('ALTER %s %I OWNER TO chipsales_owner',
                       CASE o.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                       o.relname);
    END LOOP;
    FOR o IN
        SELECT p.oid::regprocedure AS signature FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO chipsales_owner', o.signature);
    END LOOP;
    FOR o IN
        SELECT t.typname, t.typtype FROM pg_type t
        WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('d', 'e')
    LOOP
        EXECUTE format('ALTER %s %I OWNER TO chipsales_owner', CASE o.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, o.typname);
    END LOOP;
END $$;

-- The app: read everything, write the domain and the job's tables; never
-- the audit trail, the stock balances (triggers keep them) or the schema.
GRANT USAGE ON SCHEMA public TO chipsales_app, chipsales_reporting;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO chipsales_app;
GRANT INSERT, UPDATE ON products, customers, supply_capacity, orders, order_lines TO chipsales_app;
GRANT INSERT, UPDATE, DELETE ON customer_contracts TO chipsales_app;
GRANT INSERT ON inventory_movements, allocation_policies, allocation_explanations, allocation_periods TO chipsales_app;
GRANT INSERT, UPDATE ON allocation_runs, current_plan TO chipsales_app;
GRANT INSERT, UPDATE, DELETE ON allocations, allocation_values, allocation_order_book, allocation_backlog_summary
    TO chipsales_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO chipsales_app;

-- Reporting: the views, nothing else (they read the base tables with their owner's rights).
GRANT SELECT ON report_order_book, report_internal_share, report_capacity, report_backlog, report_backlog_history,
    report_allocated_value, report_run_change, report_inventory TO chipsales_reporting;
GRANT EXECUTE ON FUNCTION current_run_id() TO chipsales_reporting;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO chipsales_app;
GRANT EXECUTE ON FUNCTION current_run_id(), iso_week_monday(iso_week), is_iso_week(text) TO chipsales_reporting;
