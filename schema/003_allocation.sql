-- 003 Allocation: the policy, runs, the current plan, and what keeps it honest.
--
-- A run is stored whole in one transaction (its allocations, explanation
-- rows and weekly stock flow) and made the current plan in the same
-- transaction, so a run that dies leaves the previous plan exactly as it was.
-- After a run, shipments consume the plan's allocations and cancellations
-- and reductions trim them (triggers below), so the current plan never holds
-- more for a line than is still open.

CREATE TABLE allocation_policies (
    id                  bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    method              text         NOT NULL CONSTRAINT policies_method CHECK (method IN ('fair', 'proportional', 'turn-and-earn')),
    internal_floor      numeric(7,6) NOT NULL CONSTRAINT policies_floor_range CHECK (internal_floor BETWEEN 0 AND 1),
    frozen_weeks        integer      NOT NULL CONSTRAINT policies_frozen_range CHECK (frozen_weeks BETWEEN 0 AND 52),
    history_weeks       integer      NOT NULL CONSTRAINT policies_history_range CHECK (history_weeks BETWEEN 0 AND 520),
    set_at              timestamptz  NOT NULL DEFAULT now(),
    set_by              text         NOT NULL DEFAULT current_user
);
COMMENT ON TABLE allocation_policies IS 'Every policy ever set; the newest row is in force.';

INSERT INTO allocation_policies (method, internal_floor, frozen_weeks, history_weeks)
VALUES ('fair', 0, 2, 13);

CREATE TRIGGER allocation_policies_append_only BEFORE UPDATE OR DELETE ON allocation_policies
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE allocation_runs (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id         bigint      NOT NULL REFERENCES allocation_policies (id),
    as_of             iso_week    NOT NULL,
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    run_by            text        NOT NULL DEFAULT current_user,
    open_lines        integer     NOT NULL,
    customers         integer     NOT NULL,
    skus              integer     NOT NULL,
    supply_weeks      integer     NOT NULL,
    fixed_rows        integer     NOT NULL,
    supply_chips      bigint      NOT NULL,
    on_hand_chips     bigint      NOT NULL,
    demand_chips      bigint      NOT NULL,
    allocated_chips   bigint      NOT NULL,
    backlog_chips     bigint      NOT NULL,
    -- Chips taken back at commit from lines cancelled or reduced while the run computed.
    trimmed_chips     bigint      NOT NULL DEFAULT 0,
    compute_ms        integer     NOT NULL
);

CREATE TRIGGER allocation_runs_no_delete BEFORE DELETE ON allocation_runs
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER allocation_runs_no_truncate BEFORE TRUNCATE ON allocation_runs
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The current plan: one row pointing at a run.
CREATE TABLE current_plan (
    singleton boolean PRIMARY KEY DEFAULT true CONSTRAINT current_plan_one_row CHECK (singleton),
    run_id    bigint  NOT NULL REFERENCES allocation_runs (id),
    since     timestamptz NOT NULL DEFAULT now()
);

-- The run's rows (allocations, explanations, summaries) are written only by
-- the job, with COPY, in the transaction that creates the run, and runs are
-- never deleted (trigger below); a per-row foreign key to allocation_runs
-- would check a million times what that transaction guarantees, so these
-- bulk tables carry none, and `chipsales db check` confirms no row is orphaned.
-- For the same reason their weeks are plain text (copied from supply weeks
-- that the iso_week domain already checked) and their keys sort bytewise
-- (COLLATE "C"), which makes writing a million rows several times faster.
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
);

-- Per customer, SKU and week: what the customer demanded, was guaranteed and got.
CREATE TABLE allocation_explanations (
    run_id      bigint        NOT NULL,
    customer_id text          COLLATE "C" NOT NULL,
    sku         text          COLLATE "C" NOT NULL,
    week        text          COLLATE "C" NOT NULL,
    demand      integer       NOT NULL,
    fixed       integer       NOT NULL,
    guaranteed  integer       NOT NULL,
    allocated   integer       NOT NULL,
    tier        smallint      NOT NULL,
    weight      numeric(12,6) NOT NULL,
    held        boolean       NOT NULL,
    PRIMARY KEY (run_id, customer_id, sku, week)
);

-- Per SKU and week: the stock flow the run planned.
CREATE TABLE allocation_periods (
    run_id    bigint   NOT NULL REFERENCES allocation_runs (id),
    sku       text     NOT NULL,
    week      iso_week NOT NULL,
    supply    integer  NOT NULL,
    available integer  NOT NULL,
    allocated integer  NOT NULL,
    carry     integer  NOT NULL,
    -- Of `allocated`, the chips that went to internal customers.
    internal_allocated integer NOT NULL DEFAULT 0 CHECK (internal_allocated >= 0),
    PRIMARY KEY (run_id, sku, week),
    CONSTRAINT periods_within_available CHECK (allocated BETWEEN 0 AND available AND carry = available - allocated
                                               AND internal_allocated <= allocated)
);

-- Per run, customer and allocation week: chips and their value (quantity x
-- the line's unit price) per currency, as planned when the run committed.
CREATE TABLE allocation_values (
    run_id      bigint        NOT NULL,
    customer_id text          COLLATE "C" NOT NULL,
    week        text          COLLATE "C" NOT NULL,
    currency    char(3)       NOT NULL,
    chips       bigint        NOT NULL CHECK (chips >= 0),
    value       numeric(20,2) NOT NULL CHECK (value >= 0),
    PRIMARY KEY (run_id, customer_id, week, currency)
);

-- Per run, customer, requested week and hold: the backlog (open chips the
-- plan could not place) summed; line by line it is each line's open
-- quantity minus what the plan holds for it.
CREATE TABLE allocation_backlog_summary (
    run_id         bigint  NOT NULL,
    customer_id    text    COLLATE "C" NOT NULL,
    requested_week text    COLLATE "C" NOT NULL,
    held           boolean NOT NULL,
    lines          integer NOT NULL CHECK (lines > 0),
    chips          bigint  NOT NULL CHECK (chips > 0),
    PRIMARY KEY (run_id, customer_id, requested_week, held)
);

-- Per run, customer and requested week: chips the plan gave those lines.
CREATE TABLE allocation_order_book (
    run_id         bigint NOT NULL,
    customer_id    text   COLLATE "C" NOT NULL,
    requested_week text   COLLATE "C" NOT NULL,
    chips          bigint NOT NULL CHECK (chips >= 0),
    PRIMARY KEY (run_id, customer_id, requested_week)
);

-- Takes back what the current plan holds for a line beyond its open
-- quantity: from the earliest weeks when chips shipped (they were the first
-- allocated), from the latest weeks when the line was cancelled or reduced.
CREATE FUNCTION trim_current_plan(line_id bigint, earliest_first boolean) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    plan     bigint;
    excess   integer;
    removed  integer := 0;
    a        record;
BEGIN
    SELECT run_id INTO plan FROM current_plan;
    IF plan IS NULL THEN RETURN 0; END IF;
    SELECT coalesce(sum(x.quantity), 0) - (l.quantity - l.cancelled_qty - l.shipped_qty) INTO excess
    FROM order_lines l LEFT JOIN allocations x ON x.run_id = plan AND x.order_line_id = l.id
    WHERE l.id = line_id
    GROUP BY l.quantity, l.cancelled_qty, l.shipped_qty;
    IF excess IS NULL OR excess <= 0 THEN RETURN 0; END IF;
    FOR a IN
        SELECT week, quantity FROM allocations
        WHERE run_id = plan AND order_line_id = line_id
        ORDER BY CASE WHEN earliest_first THEN week END ASC, week DESC
    LOOP
        EXIT WHEN excess <= 0;
        IF a.quantity <= excess THEN
            DELETE FROM allocations WHERE run_id = plan AND order_line_id = line_id AND week = a.week;
            excess := excess - a.quantity;
            removed := removed + a.quantity;
        ELSE
            UPDATE allocations SET quantity = quantity - excess
            WHERE run_id = plan AND order_line_id = line_id AND week = a.week;
            removed := removed + excess;
            excess := 0;
        END IF;
    END LOOP;
    RETURN removed;
END $$;

CREATE FUNCTION order_lines_trim_plan() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.quantity - NEW.cancelled_qty - NEW.shipped_qty < OLD.quantity - OLD.cancelled_qty - OLD.shipped_qty THEN
        PERFORM trim_current_plan(NEW.id, NEW.shipped_qty > OLD.shipped_qty);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER order_lines_trim_plan AFTER UPDATE ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_lines_trim_plan();
