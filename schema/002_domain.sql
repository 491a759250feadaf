-- 002 Domain: customers, products, supply capacity, inventory, orders, audit.
--
-- The database enforces the rules that matter, whatever client writes:
-- keys and checks for shapes and ranges, whole lots through a composite key
-- to the product's lot size, never-negative stock through a balance row with
-- a CHECK that every movement updates (so concurrent shipments serialize on
-- it), and an append-only ledger and audit trail guarded by triggers.

-- ISO 3166-1 alpha-2 country codes (249, as of 2026).
CREATE TABLE countries (
    code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$')
);
INSERT INTO countries (code) VALUES
    ('AD'), ('AE'), ('AF'), ('AG'), ('AI'), ('AL'), ('AM'), ('AO'), ('AQ'), ('AR'), ('AS'), ('AT'),
    ('AU'), ('AW'), ('AX'), ('AZ'), ('BA'), ('BB'), ('BD'), ('BE'), ('BF'), ('BG'), ('BH'), ('BI'),
    ('BJ'), ('BL'), ('BM'), ('BN'), ('BO'), ('BQ'), ('BR'), ('BS'), ('BT'), ('BV'), ('BW'), ('BY'),
    ('BZ'), ('CA'), ('CC'), ('CD'), ('CF'), ('CG'), ('CH'), ('CI'), ('CK'), ('CL'), ('CM'), ('CN'),
    ('CO'), ('CR'), ('CU'), ('CV'), ('CW'), ('CX'), ('CY'), ('CZ'), ('DE'), ('DJ'), ('DK'), ('DM'),
    ('DO'), ('DZ'), ('EC'), ('EE'), ('EG'), ('EH'), ('ER'), ('ES'), ('ET'), ('FI'), ('FJ'), ('FK'),
    ('FM'), ('FO'), ('FR'), ('GA'), ('GB'), ('GD'), ('GE'), ('GF'), ('GG'), ('GH'), ('GI'), ('GL'),
    ('GM'), ('GN'), ('GP'), ('GQ'), ('GR'), ('GS'), ('GT'), ('GU'), ('GW'), ('GY'), ('HK'), ('HM'),
    ('HN'), ('HR'), ('HT'), ('HU'), ('ID'), ('IE'), ('IL'), ('IM'), ('IN'), ('IO'), ('IQ'), ('IR'),
    ('IS'), ('IT'), ('JE'), ('JM'), ('JO'), ('JP'), ('KE'), ('KG'), ('KH'), ('KI'), ('KM'), ('KN'),
    ('KP'), ('KR'), ('KW'), ('KY'), ('KZ'), ('LA'), ('LB'), ('LC'), ('LI'), ('LK'), ('LR'), ('LS'),
    ('LT'), ('LU'), ('LV'), ('LY'), ('MA'), ('MC'), ('MD'), ('ME'), ('MF'), ('MG'), ('MH'), ('MK'),
    ('ML'), ('MM'), ('MN'), ('MO'), ('MP'), ('MQ'), ('MR'), ('MS'), ('MT'), ('MU'), ('MV'), ('MW'),
    ('MX'), ('MY'), ('MZ'), ('NA'), ('NC'), ('NE'), ('NF'), ('NG'), ('NI'), ('NL'), ('NO'), ('NP'),
    ('NR'), ('NU'), ('NZ'), ('OM'), ('PA'), ('PE'), ('PF'), ('PG'), ('PH'), ('PK'), ('PL'), ('PM'),
    ('PN'), ('PR'), ('PS'), ('PT'), ('PW'), ('PY'), ('QA'), ('RE'), ('RO'), ('RS'), ('RU'), ('RW'),
    ('SA'), ('SB'), ('SC'), ('SD'), ('SE'), ('SG'), ('SH'), ('SI'), ('SJ'), ('SK'), ('SL'), ('SM'),
    ('SN'), ('SO'), ('SR'), ('SS'), ('ST'), ('SV'), ('SX'), ('SY'), ('SZ'), ('TC'), ('TD'), ('TF'),
    ('TG'), ('TH'), ('TJ'), ('TK'), ('TL'), ('TM'), ('TN'), ('TO'), ('TR'), ('TT'), ('TV'), ('TW'),
    ('TZ'), ('UA'), ('UG'), ('UM'), ('US'), ('UY'), ('UZ'), ('VA'), ('VC'), ('VE'), ('VG'), ('VI'),
    ('VN'), ('VU'), ('WF'), ('WS'), ('YE'), ('YT'), ('ZA'), ('ZM'), ('ZW');

CREATE TABLE products (
    sku        text          PRIMARY KEY
               CONSTRAINT products_sku_format CHECK (sku ~ '^[A-Z0-9][A-Z0-9._-]{0,31}$'),
    name       text          NOT NULL
               CONSTRAINT products_name_present CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    lot_size   integer       NOT NULL CONSTRAINT products_lot_size_positive CHECK (lot_size > 0),
    unit_price numeric(16,2) NOT NULL CONSTRAINT products_unit_price_not_negative CHECK (unit_price >= 0),
    currency   char(3)       NOT NULL CONSTRAINT products_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
    created_at timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (sku, lot_size)
);

CREATE TYPE compliance_status AS ENUM ('cleared', 'pending', 'denied');

CREATE TABLE customers (
    id          text              PRIMARY KEY
                CONSTRAINT customers_id_format CHECK (id ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
    name        text              NOT NULL
                CONSTRAINT customers_name_present CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    country     char(2)           NOT NULL REFERENCES countries (code),
    internal    boolean           NOT NULL DEFAULT false,
    tier        smallint          NOT NULL DEFAULT 1 CONSTRAINT customers_tier_range CHECK (tier BETWEEN 1 AND 9),
    weight      numeric(12,6)     NOT NULL DEFAULT 1 CONSTRAINT customers_weight_positive CHECK (weight > 0 AND weight <= 1000000),
    compliance  compliance_status NOT NULL DEFAULT 'cleared',
    credit_hold boolean           NOT NULL DEFAULT false,
    created_at  timestamptz       NOT NULL DEFAULT now(),
    updated_at  timestamptz       NOT NULL DEFAULT now()
);

-- Per-SKU contract terms: a weekly minimum (guaranteed when demand and supply
-- allow) and a weekly cap, in chips.
CREATE TABLE customer_contracts (
    customer_id      text    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    sku              text    NOT NULL REFERENCES products (sku),
    minimum_per_week integer CONSTRAINT contracts_minimum_not_negative CHECK (minimum_per_week >= 0),
    maximum_per_week integer CONSTRAINT contracts_maximum_not_negative CHECK (maximum_per_week >= 0),
    PRIMARY KEY (customer_id, sku),
    CONSTRAINT contracts_minimum_within_maximum
        CHECK (minimum_per_week IS NULL OR maximum_per_week IS NULL OR minimum_per_week <= maximum_per_week)
);

-- Planned output per SKU and ISO week, in chips.
CREATE TABLE supply_capacity (
    sku        text        NOT NULL REFERENCES products (sku),
    week       iso_week    NOT NULL,
    quantity   integer     NOT NULL CONSTRAINT supply_quantity_not_negative CHECK (quantity >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sku, week)
);

CREATE TABLE orders (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id text        NOT NULL REFERENCES customers (id),
    reference   text        NOT NULL
                CONSTRAINT orders_reference_present CHECK (length(btrim(reference)) BETWEEN 1 AND 100),
    placed_at   timestamptz NOT NULL DEFAULT now(),
    created_by  text        NOT NULL DEFAULT current_user,
    CONSTRAINT orders_customer_reference_key UNIQUE (customer_id, reference)
);

CREATE TABLE order_lines (
    id             bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id       bigint        NOT NULL REFERENCES orders (id),
    line_no        integer       NOT NULL CONSTRAINT order_lines_line_no_positive CHECK (line_no > 0),
    sku            text          NOT NULL,
    lot_size       integer       NOT NULL,
    quantity       integer       NOT NULL CONSTRAINT order_lines_quantity_positive CHECK (quantity > 0),
    requested_week iso_week      NOT NULL,
    unit_price     numeric(16,2) NOT NULL CONSTRAINT order_lines_unit_price_not_negative CHECK (unit_price >= 0),
    currency       char(3)       NOT NULL,
    cancelled_qty  integer       NOT NULL DEFAULT 0 CONSTRAINT order_lines_cancelled_not_negative CHECK (cancelled_qty >= 0),
    shipped_qty    integer       NOT NULL DEFAULT 0 CONSTRAINT order_lines_shipped_not_negative CHECK (shipped_qty >= 0),
    CONSTRAINT order_lines_order_line_key UNIQUE (order_id, line_no),
    -- The lot size travels with the line, tied to the product by this key,
    -- so whole lots are a plain CHECK; a product's lot size cannot change
    -- under existing lines.
    CONSTRAINT order_lines_product_fkey FOREIGN KEY (sku, lot_size) REFERENCES products (sku, lot_size),
    CONSTRAINT order_lines_whole_lots
        CHECK (quantity % lot_size = 0 AND cancelled_qty % lot_size = 0 AND shipped_qty % lot_size = 0),
    CONSTRAINT order_lines_not_over_closed CHECK (cancelled_qty + shipped_qty <= quantity)
);
CREATE INDEX order_lines_sku_week_idx ON order_lines (sku, requested_week);

-- Open quantity of a line: still to ship, neither cancelled nor shipped.
CREATE FUNCTION order_line_open(l order_lines) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT l.quantity - l.cancelled_qty - l.shipped_qty $$;

-- The inventory ledger: append-only movements, and one balance row per SKU
-- that every movement updates under a row lock; its CHECK keeps stock from
-- ever going negative, even under concurrent shipments.
CREATE TYPE movement_kind AS ENUM ('receipt', 'shipment', 'adjustment');

CREATE TABLE inventory_movements (
    id            bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku           text          NOT NULL REFERENCES products (sku),
    kind          movement_kind NOT NULL,
    quantity      integer       NOT NULL CONSTRAINT movements_quantity_not_zero CHECK (quantity <> 0),
    order_line_id bigint        REFERENCES order_lines (id),
    note          text          CONSTRAINT movements_note_length CHECK (length(note) <= 500),
    at            timestamptz   NOT NULL DEFAULT now(),
    actor         text          NOT NULL DEFAULT current_user,
    CONSTRAINT movements_kind_shape CHECK (
        (kind = 'receipt' AND quantity > 0 AND order_line_id IS NULL)
        OR (kind = 'shipment' AND quantity < 0 AND order_line_id IS NOT NULL)
        OR (kind = 'adjustment' AND order_line_id IS NULL AND length(btrim(coalesce(note, ''))) > 0)
    )
);
CREATE INDEX inventory_movements_sku_at_idx ON inventory_movements (sku, at);
CREATE INDEX inventory_movements_line_idx ON inventory_movements (order_line_id) WHERE order_line_id IS NOT NULL;

CREATE TABLE inventory_balances (
    sku     text    PRIMARY KEY REFERENCES products (sku),
    on_hand integer NOT NULL DEFAULT 0 CONSTRAINT inventory_on_hand_not_negative CHECK (on_hand >= 0)
);

-- Every product has its balance row from the start, so a movement is one
-- UPDATE of an existing row: concurrent movements of a SKU queue on its lock.
CREATE FUNCTION inventory_open_balance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO inventory_balances (sku, on_hand) VALUES (NEW.sku, 0);
    RETURN NEW;
END $$;

CREATE TRIGGER products_open_balance AFTER INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION inventory_open_balance();

CREATE FUNCTION inventory_apply_movement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE inventory_balances SET on_hand = on_hand + NEW.quantity WHERE sku = NEW.sku;
    RETURN NEW;
END $$;

CREATE TRIGGER inventory_movements_apply AFTER INSERT ON inventory_movements
    FOR EACH ROW EXECUTE FUNCTION inventory_apply_movement();

-- Append-only tables refuse UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, lower(TG_OP)
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER inventory_movements_append_only BEFORE UPDATE OR DELETE ON inventory_movements
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER inventory_movements_no_truncate BEFORE TRUNCATE ON inventory_movements
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The audit trail of orders: one event per change, written by triggers so
-- that no client can change an order without leaving a trace.
CREATE TABLE order_events (
    id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint      NOT NULL REFERENCES orders (id),
    line_no  integer,
    action   text        NOT NULL CONSTRAINT order_events_action CHECK (action IN ('created', 'amended', 'cancelled', 'shipped')),
    at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor    text        NOT NULL DEFAULT current_user,
    reason   text,
    before   jsonb,
    after    jsonb
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE ON order_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER order_events_no_truncate BEFORE TRUNCATE ON order_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Order lines cannot be deleted (cancel them instead).
CREATE TRIGGER order_lines_no_delete BEFORE DELETE ON order_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- One 'created' event per new order, set-wise (bulk imports stay fast). The
-- lines themselves are in order_lines as created; every later change to a
-- line records its before and after, so any past state can be rebuilt.
CREATE FUNCTION order_lines_audit_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_events (order_id, action, after)
    SELECT n.order_id, 'created',
           jsonb_build_object('lines', count(*), 'quantity', sum(n.quantity),
                              'first_week', min(n.requested_week), 'last_week', max(n.requested_week))
    FROM new_lines n
    GROUP BY n.order_id;
    RETURN NULL;
END $$;

CREATE TRIGGER order_lines_audit_insert AFTER INSERT ON order_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION order_lines_audit_insert();

-- An event per changed line; the reason comes from the transaction-local
-- setting chipsales.reason when the client gave one.
CREATE FUNCTION order_lines_audit_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    what text;
BEGIN
    IF NEW.shipped_qty <> OLD.shipped_qty THEN
        what := 'shipped';
    ELSIF NEW.cancelled_qty <> OLD.cancelled_qty THEN
        what := 'cancelled';
    ELSIF NEW.quantity <> OLD.quantity OR NEW.requested_week <> OLD.requested_week
          OR NEW.unit_price <> OLD.unit_price THEN
        what := 'amended';
    ELSE
        RETURN NEW;
    END IF;
    INSERT INTO order_events (order_id, line_no, action, reason, before, after)
    VALUES (NEW.order_id, NEW.line_no, what, nullif(current_setting('chipsales.reason', true), ''),
            jsonb_build_object('quantity', OLD.quantity, 'cancelled', OLD.cancelled_qty, 'shipped', OLD.shipped_qty,
                               'week', OLD.requested_week, 'unit_price', OLD.unit_price),
            jsonb_build_object('quantity', NEW.quantity, 'cancelled', NEW.cancelled_qty, 'shipped', NEW.shipped_qty,
                               'week', NEW.requested_week, 'unit_price', NEW.unit_price));
    RETURN NEW;
END $$;

CREATE TRIGGER order_lines_audit_update AFTER UPDATE ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_lines_audit_update();

-- A line's and an order's status, derived from the quantities.
CREATE VIEW order_line_status AS
SELECT l.*,
       l.quantity - l.cancelled_qty - l.shipped_qty AS open_qty,
       CASE
           WHEN l.cancelled_qty = l.quantity THEN 'cancelled'
           WHEN l.quantity - l.cancelled_qty - l.shipped_qty = 0 THEN 'shipped'
           WHEN l.shipped_qty > 0 THEN 'partially_shipped'
           ELSE 'open'
       END AS status
FROM order_lines l;

CREATE VIEW order_status AS
SELECT o.id, o.customer_id, o.reference, o.placed_at, o.created_by,
       count(l.id)::int AS line_count,
       sum(l.quantity)::int AS ordered_qty,
       sum(l.cancelled_qty)::int AS cancelled_qty,
       sum(l.shipped_qty)::int AS shipped_qty,
       sum(l.open_qty)::int AS open_qty,
       CASE
           WHEN bool_and(l.status = 'cancelled') THEN 'cancelled'
           WHEN sum(l.open_qty) = 0 THEN 'shipped'
           WHEN sum(l.shipped_qty) > 0 THEN 'partially_shipped'
           ELSE 'open'
       END AS status
FROM orders o
JOIN order_line_status l ON l.order_id = o.id
GROUP BY o.id;
