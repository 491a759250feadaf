-- 006 One partition of `allocations` per run.
--
-- A run over a million lines writes about 700,000 allocation rows. Into one
-- big table each row also went into the primary key one at a time, which
-- was over a third of the time the run spent writing. Now each run loads
-- its rows into a table of its own that has no index yet, then builds the
-- primary key in one sorted pass and attaches the table to `allocations`
-- as that run's partition, all in the run's transaction: a run that dies
-- leaves neither the table nor the partition behind. Queries still name
-- `allocations`; PostgreSQL skips the partitions of other runs when the
-- query names its run by a constant or parameter (at plan time) or by a
-- subquery (when it runs).
-- The runs stored before this migration stay together in one partition.

ALTER TABLE allocations RENAME TO allocations_before_006;
ALTER INDEX allocations_pkey RENAME TO allocations_before_006_pkey;

CREATE TABLE allocations (
    run_id        bigint   NOT NULL,
    order_line_id bigint   NOT NULL,
    week          text     COLLATE "C" NOT NULL,
    quantity      integer  NOT NULL CONSTRAINT allocations_quantity_positive CHECK (quantity > 0),
    sku           text     COLLATE "C" NOT NULL,
    lot_size      integer  NOT NULL,
    customer_id   text     COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, order_line_id, week),
    CONSTRAINT allocations_whole_lots CHECK (quantity % lot_size = 0)
) PARTITION BY RANGE (run_id);
COMMENT ON TABLE allocations IS 'Chips per run, order line and week; one partition per run (allocations_run_N).';

DO $$
DECLARE
    next_run bigint;
BEGIN
    SELECT coalesce(max(id), 0) + 1 INTO next_run FROM allocation_runs;
    EXECUTE format('ALTER TABLE allocations_before_006 ADD CONSTRAINT allocations_before_006_runs CHECK (run_id < %s)', next_run);
    EXECUTE format('ALTER TABLE allocations ATTACH PARTITION allocations_before_006 FOR VALUES FROM (MINVALUE) TO (%s)', next_run);
END $$;

-- The table run `run` loads its allocations into: the columns and checks of
-- `allocations`, that run's id only, and no index until it is attached.
-- Returns its schema-qualified name.
CREATE FUNCTION allocations_begin_run(run bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part text := format('allocations_run_%s', run);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM allocation_runs WHERE id = run) THEN
        RAISE EXCEPTION 'allocation run % is not stored', run USING ERRCODE = 'foreign_key_violation';
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE allocations INCLUDING CONSTRAINTS, CONSTRAINT %I CHECK (run_id = %s))',
                   part, part || '_only', run);
    EXECUTE format('GRANT INSERT ON %I TO chipsales_app', part);
    RETURN format('public.%I', part);
END $$;

-- Attaches run `run`'s loaded table as its partition: PostgreSQL builds the
-- partition's primary key by sorting, and its CHECK spares the scan that
-- would prove every row belongs to the run.
CREATE FUNCTION allocations_finish_run(run bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    EXECUTE format('ALTER TABLE allocations ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                   format('allocations_run_%s', run), run, run + 1);
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON allocations TO chipsales_app;
REVOKE EXECUTE ON FUNCTION allocations_begin_run(bigint), allocations_finish_run(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION allocations_begin_run(bigint), allocations_finish_run(bigint) TO chipsales_app;
