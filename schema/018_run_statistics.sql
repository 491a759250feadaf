-- 018 A run's commit analyzes the tables every run adds to (its order book,
-- values, backlog and stock flow, for the reports' plans) from a sample of
-- 3,000 rows instead of 30,000, as 015 does for the run's allocations: the
-- reports read them by run and key, for which ten histogram buckets and ten
-- common values are plenty, and the commit spends less time on statistics.
ALTER TABLE allocation_order_book
    ALTER COLUMN run_id SET STATISTICS 10, ALTER COLUMN customer_id SET STATISTICS 10,
    ALTER COLUMN requested_week SET STATISTICS 10, ALTER COLUMN chips SET STATISTICS 10;
ALTER TABLE allocation_values
    ALTER COLUMN run_id SET STATISTICS 10, ALTER COLUMN customer_id SET STATISTICS 10, ALTER COLUMN week SET STATISTICS 10,
    ALTER COLUMN currency SET STATISTICS 10, ALTER COLUMN chips SET STATISTICS 10, ALTER COLUMN value SET STATISTICS 10;
ALTER TABLE allocation_backlog_summary
    ALTER COLUMN run_id SET STATISTICS 10, ALTER COLUMN customer_id SET STATISTICS 10,
    ALTER COLUMN requested_week SET STATISTICS 10, ALTER COLUMN held SET STATISTICS 10,
    ALTER COLUMN lines SET STATISTICS 10, ALTER COLUMN chips SET STATISTICS 10;
ALTER TABLE allocation_periods
    ALTER COLUMN run_id SET STATISTICS 10, ALTER COLUMN sku SET STATISTICS 10, ALTER COLUMN week SET STATISTICS 10,
    ALTER COLUMN supply SET STATISTICS 10, ALTER COLUMN available SET STATISTICS 10, ALTER COLUMN allocated SET STATISTICS 10,
    ALTER COLUMN carry SET STATISTICS 10, ALTER COLUMN internal_allocated SET STATISTICS 10;
