-- 005 Set-wise keys: the order tables' references checked once per
-- statement instead of once per row.
--
-- A declarative foreign key checks every inserted row with its own index
-- probe and row lock (about 6 µs each): a million-line import spent 13 of
-- its 35 seconds there, two checks per line. The same rules hold here, checked
-- per statement over the inserted rows with one anti-join:
--
--   orders.customer_id            -> customers (id)
--   order_lines.order_id          -> orders (id)
--   order_lines (sku, lot_size)   -> products (sku, lot_size)
--   order_events.order_id         -> orders (id)
--
-- The referenced side keeps its half of each rule with row triggers: a
-- customer or product still referenced cannot be deleted or re-keyed, and
-- orders are never deleted or re-keyed at all. The inserting statement
-- takes KEY SHARE locks on the customers and products it references, as a
-- foreign key would, so a concurrent delete or re-key waits and then fails.
-- Violations raise SQLSTATE 23503 under the dropped constraints' names.

ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;
ALTER TABLE order_lines DROP CONSTRAINT order_lines_order_id_fkey;
ALTER TABLE order_lines DROP CONSTRAINT order_lines_product_fkey;
ALTER TABLE order_events DROP CONSTRAINT order_events_order_id_fkey;

CREATE FUNCTION orders_check_customers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    ids     text[];
    missing text;
BEGIN
    SELECT array_agg(DISTINCT n.customer_id) INTO ids FROM new_orders n;
    PERFORM 1 FROM customers c WHERE c.id = ANY (ids) FOR KEY SHARE;
    SELECT k.id INTO missing FROM unnest(ids) AS k(id)
    WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = k.id) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "orders" violates foreign key constraint "orders_customer_id_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'orders_customer_id_fkey', TABLE = 'orders',
                  DETAIL = format('Key (customer_id)=(%s) is not present in table "customers".', missing);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER orders_check_customers AFTER INSERT ON orders
    REFERENCING NEW TABLE AS new_orders
    FOR EACH STATEMENT EXECUTE FUNCTION orders_check_customers();

-- Rows that name an order (lines, audit events): the orders they point to
-- are looked up in their id range only (an import's orders are new and
-- adjacent; an entry's is one), and hashed: the planner's guess for orders
-- inserted earlier in the same transaction is far too low, and its nested
-- loop of index probes is several times slower. TG_ARGV[0] names the rule.
CREATE FUNCTION check_order_ids() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET enable_nestloop = off AS $$
DECLARE
    low     bigint;
    high    bigint;
    missing bigint;
BEGIN
    SELECT min(n.order_id), max(n.order_id) INTO low, high FROM inserted n;
    SELECT n.order_id INTO missing FROM inserted n
    LEFT JOIN (SELECT o.id FROM orders o WHERE o.id BETWEEN low AND high) o ON o.id = n.order_id
    WHERE o.id IS NULL LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[0], TABLE = TG_TABLE_NAME,
                  DETAIL = format('Key (order_id)=(%s) is not present in table "orders".', missing);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION order_lines_check_products() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    skus text[];
    lots integer[];
    bad  record;
BEGIN
    SELECT array_agg(k.sku), array_agg(k.lot_size) INTO skus, lots FROM (SELECT DISTINCT n.sku, n.lot_size FROM inserted n) k;
    PERFORM 1 FROM products p JOIN unnest(skus, lots) AS k(sku, lot_size) ON p.sku = k.sku AND p.lot_size = k.lot_size
    FOR KEY SHARE OF p;
    SELECT k.sku, k.lot_size INTO bad FROM unnest(skus, lots) AS k(sku, lot_size)
    WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = k.sku AND p.lot_size = k.lot_size) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "order_lines" violates foreign key constraint "order_lines_product_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'order_lines_product_fkey', TABLE = 'order_lines',
                  DETAIL = format('Key (sku, lot_size)=(%s, %s) is not present in table "products".', bad.sku, bad.lot_size);
    END IF;
    RETURN NULL;
END $$;

-- Triggers of one event fire in name order: "check_" sorts before the
-- totals and audit triggers (order_book_totals_insert, order_lines_audit_insert),
-- so nothing is written for lines that fail these checks.
CREATE TRIGGER check_orders_exist AFTER INSERT ON order_lines
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION check_order_ids('order_lines_order_id_fkey');
CREATE TRIGGER check_products_exist AFTER INSERT ON order_lines
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION order_lines_check_products();

-- A line's order, SKU and lot size are fixed once it exists (amendments
-- change quantities, weeks and prices), so updates need no reference check.
CREATE FUNCTION order_lines_keep_references() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.order_id <> OLD.order_id OR NEW.sku <> OLD.sku OR NEW.lot_size <> OLD.lot_size OR NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'an order line''s id, order, SKU and lot size cannot change (order % line %)', OLD.order_id, OLD.line_no
            USING ERRCODE = 'foreign_key_violation', TABLE = 'order_lines',
                  CONSTRAINT = CASE WHEN NEW.sku <> OLD.sku OR NEW.lot_size <> OLD.lot_size
                                    THEN 'order_lines_product_fkey' ELSE 'order_lines_order_id_fkey' END;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER order_lines_keep_references BEFORE UPDATE OF id, order_id, sku, lot_size ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_lines_keep_references();

CREATE TRIGGER check_orders_exist AFTER INSERT ON order_events
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION check_order_ids('order_events_order_id_fkey');

-- A referenced row's delete or re-key is checked with a fresh look at the
-- referencing table, which only READ COMMITTED gives a plpgsql function
-- (a foreign key reads past the snapshot; a trigger cannot): in a
-- REPEATABLE READ or SERIALIZABLE transaction such a change is refused.
CREATE FUNCTION require_read_committed(what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION '% is checked only in READ COMMITTED transactions (this one is %)', what,
            current_setting('transaction_isolation')
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END $$;

-- The referenced side: orders are never deleted (002), re-keyed or moved
-- to another customer (so updates need no reference check either); a
-- customer or product that orders still reference is neither deleted nor
-- re-keyed; and none of these tables can be truncated.
CREATE FUNCTION orders_keep_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.customer_id <> OLD.customer_id THEN
        RAISE EXCEPTION 'an order''s id and customer cannot change (order %)', OLD.id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'orders',
                  CONSTRAINT = CASE WHEN NEW.customer_id <> OLD.customer_id
                                    THEN 'orders_customer_id_fkey' ELSE 'order_lines_order_id_fkey' END;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER orders_keep_id BEFORE UPDATE OF id, customer_id ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_keep_id();

CREATE FUNCTION customers_keep_referenced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.id <> OLD.id THEN
        PERFORM require_read_committed(format('deleting or renaming customer %s', OLD.id));
    END IF;
    IF (TG_OP = 'DELETE' OR NEW.id <> OLD.id) AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = OLD.id) THEN
        RAISE EXCEPTION 'update or delete on table "customers" violates foreign key constraint "orders_customer_id_fkey" on table "orders"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'orders_customer_id_fkey', TABLE = 'customers',
                  DETAIL = format('Key (id)=(%s) is still referenced from table "orders".', OLD.id);
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER customers_keep_referenced BEFORE UPDATE OF id OR DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION customers_keep_referenced();

CREATE FUNCTION products_keep_referenced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.sku <> OLD.sku OR NEW.lot_size <> OLD.lot_size THEN
        PERFORM require_read_committed(format('deleting or changing the SKU or lot size of product %s', OLD.sku));
    END IF;
    IF (TG_OP = 'DELETE' OR NEW.sku <> OLD.sku OR NEW.lot_size <> OLD.lot_size)
       AND EXISTS (SELECT 1 FROM order_lines l WHERE l.sku = OLD.sku AND l.lot_size = OLD.lot_size) THEN
        RAISE EXCEPTION 'update or delete on table "products" violates foreign key constraint "order_lines_product_fkey" on table "order_lines"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'order_lines_product_fkey', TABLE = 'products',
                  DETAIL = format('Key (sku, lot_size)=(%s, %s) is still referenced from table "order_lines".', OLD.sku, OLD.lot_size);
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER products_keep_referenced BEFORE UPDATE OF sku, lot_size OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION products_keep_referenced();

CREATE TRIGGER orders_no_truncate BEFORE TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER order_lines_no_truncate BEFORE TRUNCATE ON order_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER customers_no_truncate BEFORE TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER products_no_truncate BEFORE TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

REVOKE EXECUTE ON FUNCTION require_read_committed(text), orders_check_customers(), check_order_ids(), order_lines_check_products(), order_lines_keep_references(),
    orders_keep_id(), customers_keep_referenced(), products_keep_referenced() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION require_read_committed(text), orders_check_customers(), check_order_ids(), order_lines_check_products(), order_lines_keep_references(),
    orders_keep_id(), customers_keep_referenced(), products_keep_referenced() TO chipsales_app;

-- The 'created' event of each new order, as in 002 (and with its owner's
-- rights, as in 004), with the weeks compared bytewise: ISO week text sorts
-- the same either way, and a locale comparison per line cost a million-line
-- import a second.
CREATE OR REPLACE FUNCTION order_lines_audit_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO order_events (order_id, action, after)
    SELECT n.order_id, 'created',
           jsonb_build_object('lines', count(*), 'quantity', sum(n.quantity),
                              'first_week', min(n.requested_week COLLATE "C"), 'last_week', max(n.requested_week COLLATE "C"))
    FROM new_lines n
    GROUP BY n.order_id;
    RETURN NULL;
END $$;
