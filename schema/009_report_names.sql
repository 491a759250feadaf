-- 009 Names the reports can be filtered by: the customers and products an
-- analyst may name in `chipsales report --customer/--sku`, so that a filter
-- naming nothing is refused (exit 65) instead of answering with no rows.
-- The reporting role keeps reading views only; runs are already listed by
-- report_backlog_history.

CREATE VIEW report_customers AS
SELECT id AS customer_id, name, country, internal, tier FROM customers;

CREATE VIEW report_products AS
SELECT sku, name, lot_size, unit_price, currency FROM products;

GRANT SELECT ON report_customers, report_products TO chipsales_reporting, chipsales_app;
