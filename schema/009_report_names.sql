-- 009 What reports name and draw: the customers and products an analyst may
-- name in `chipsales report --customer/--sku` (a filter naming nothing is
-- refused, exit 65, instead of answering with no rows), and each run with the
-- policy it used (the charts draw its internal floor). The reporting role
-- keeps reading views only.

CREATE VIEW report_customers AS
SELECT id AS customer_id, name, country, internal, tier FROM customers;

CREATE VIEW report_products AS
SELECT sku, name, lot_size, unit_price, currency FROM products;

GRANT SELECT ON report_customers, report_products TO chipsales_reporting, chipsales_app;

-- Each run with the policy it used, so a chart can draw the internal floor
-- the run applied.
CREATE VIEW report_runs AS
SELECT r.id AS run_id, r.as_of::text AS as_of, p.method, p.internal_floor, p.frozen_weeks,
       p.history_weeks, r.finished_at
FROM allocation_runs r JOIN allocation_policies p ON p.id = r.policy_id;

GRANT SELECT ON report_runs TO chipsales_reporting, chipsales_app;
