-- 017 One insert trigger per order table.
--
-- An INSERT into order_lines fired four statement triggers, each reading
-- every inserted line from the transition table and grouping or joining it
-- on its own: the order check (check_orders_exist, 005), the product check
-- (check_products_exist, 005), the order book totals
-- (order_book_totals_insert, 004) and the audit events
-- (order_lines_audit_insert, 012). A 200,000-line import spent about 0.8 s of
-- its backend time in them. An INSERT into orders fired two
-- (orders_check_customers, 005; orders_note_new, 013).
--
-- Here each table has one trigger that does all of it, with the statement's
-- order-id range read once and every lookup of orders kept to that range.
-- The rules, messages and writes are those of the functions replaced, in
-- the same order:
--
--   1. every line's order exists, else 23503 order_lines_order_id_fkey (005);
--   2. every line's (sku, lot_size) is a product, locked FOR KEY SHARE as a
--      foreign key would, else 23503 order_lines_product_fkey (005);
--   3. order_book_totals gains the lines per customer and week, in a fixed
--      order of row locks (004);
--   4. one 'created' event per new order, one 'added' event per line added
--      to an order that has events already (012).
--
-- and for orders: every customer exists, locked FOR KEY SHARE, else 23503
-- orders_customer_id_fkey (005); the range of new order ids is noted for
-- the deferred check that every order has a line (013).
--
-- The replaced functions stay (check_order_ids still checks order_events);
-- the unused ones are dropped.

DROP TRIGGER check_orders_exist ON order_lines;
DROP TRIGGER check_products_exist ON order_lines;
DROP TRIGGER order_book_totals_insert ON order_lines;
DROP TRIGGER order_lines_audit_insert ON order_lines;
DROP TRIGGER orders_check_customers ON orders;
DROP TRIGGER orders_note_new ON orders;
DROP FUNCTION order_lines_check_products();
DROP FUNCTION order_book_totals_insert();
DROP FUNCTION order_lines_audit_insert();
DROP FUNCTION orders_check_customers();
DROP FUNCTION orders_note_new();

-- The orders' ids are looked up in the statement's id range only (an
-- import's orders are new and adjacent; an entry's is one) and hashed, as
-- 005's check_order_ids does and for its reason: the planner's guess for
-- orders inserted earlier in the same transaction is far too low.
CREATE FUNCTION order_lines_inserted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET enable_nestloop = off AS $$
DECLARE
    low     bigint;
    high    bigint;
    missing bigint;
    skus    text[];
    lots    integer[];
    bad     record;
    known   bigint[];
BEGIN
    -- The statement's order-id range, for every step below.
    SELECT min(n.order_id), max(n.order_id) INTO low, high FROM new_lines n;
    IF low IS NULL THEN
        RETURN NULL;  -- no line inserted
    END IF;

    -- 1. Every line's order exists.
    SELECT n.order_id INTO missing FROM new_lines n
    LEFT JOIN (SELECT o.id FROM orders o WHERE o.id BETWEEN low AND high) o ON o.id = n.order_id
    WHERE o.id IS NULL LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "order_lines" violates foreign key constraint "order_lines_order_id_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'order_lines_order_id_fkey', TABLE = 'order_lines',
                  DETAIL = format('Key (order_id)=(%s) is not present in table "orders".', missing);
    END IF;

    -- 2. Every line's product exists, and stays while this transaction lasts.
    SELECT array_agg(k.sku), array_agg(k.lot_size) INTO skus, lots FROM (SELECT DISTINCT n.sku, n.lot_size FROM new_lines n) k;
    PERFORM 1 FROM products p JOIN unnest(skus, lots) AS k(sku, lot_size) ON p.sku = k.sku AND p.lot_size = k.lot_size
    FOR KEY SHARE OF p;
    SELECT k.sku, k.lot_size INTO bad FROM unnest(skus, lots) AS k(sku, lot_size)
    WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = k.sku AND p.lot_size = k.lot_size) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "order_lines" violates foreign key constraint "order_lines_product_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'order_lines_product_fkey', TABLE = 'order_lines',
                  DETAIL = format('Key (sku, lot_size)=(%s, %s) is not present in table "products".', bad.sku, bad.lot_size);
    END IF;

    -- 3. The order book totals.
    INSERT INTO order_book_totals AS t (customer_id, week, ordered, cancelled, shipped)
    SELECT o.customer_id, n.requested_week, sum(n.quantity), sum(n.cancelled_qty), sum(n.shipped_qty)
    FROM new_lines n JOIN (SELECT o.id, o.customer_id FROM orders o WHERE o.id BETWEEN low AND high) o ON o.id = n.order_id
    GROUP BY o.customer_id, n.requested_week
    ORDER BY 1, 2  -- a fixed order of row locks: concurrent imports cannot deadlock here
    ON CONFLICT (customer_id, week) DO UPDATE SET
        ordered = t.ordered + EXCLUDED.ordered,
        cancelled = t.cancelled + EXCLUDED.cancelled,
        shipped = t.shipped + EXCLUDED.shipped;

    -- 4. The audit events: 'created' for a new order, 'added' for each line
    -- added to an order that has its events already.
    SELECT array_agg(DISTINCT e.order_id) INTO known FROM order_events e WHERE e.order_id BETWEEN low AND high;
    INSERT INTO order_events (order_id, action, after)
    SELECT n.order_id, 'created',
           jsonb_build_object('lines', count(*), 'quantity', sum(n.quantity),
                              'first_week', min(n.requested_week COLLATE "C"), 'last_week', max(n.requested_week COLLATE "C"))
    FROM new_lines n
    WHERE known IS NULL OR n.order_id <> ALL (known)
    GROUP BY n.order_id;
    IF known IS NOT NULL THEN
        INSERT INTO order_events (order_id, line_no, action, reason, before, after)
        SELECT n.order_id, n.line_no, 'added', nullif(current_setting('chipsales.reason', true), ''), NULL,
               jsonb_build_object('sku', n.sku, 'quantity', n.quantity, 'cancelled', n.cancelled_qty, 'shipped', n.shipped_qty,
                                  'week', n.requested_week, 'unit_price', n.unit_price)
        FROM new_lines n
        WHERE n.order_id = ANY (known)
        ORDER BY n.order_id, n.line_no;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER order_lines_inserted AFTER INSERT ON order_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION order_lines_inserted();

CREATE FUNCTION orders_inserted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    customer_ids text[];
    low          bigint;
    high         bigint;
    missing      text;
BEGIN
    SELECT array_agg(DISTINCT n.customer_id COLLATE "C"), min(n.id), max(n.id) INTO customer_ids, low, high FROM new_orders n;
    IF low IS NULL THEN
        RETURN NULL;  -- no order inserted
    END IF;
    -- Every customer exists, and stays while this transaction lasts.
    PERFORM 1 FROM customers c WHERE c.id = ANY (customer_ids) FOR KEY SHARE;
    SELECT k.id INTO missing FROM unnest(customer_ids) AS k(id)
    WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = k.id) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "orders" violates foreign key constraint "orders_customer_id_fkey"'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'orders_customer_id_fkey', TABLE = 'orders',
                  DETAIL = format('Key (customer_id)=(%s) is not present in table "customers".', missing);
    END IF;
    -- The new ids, for the check at commit that each order has a line (013).
    INSERT INTO order_line_checks (first_order_id, last_order_id) VALUES (low, high);
    RETURN NULL;
END $$;

CREATE TRIGGER orders_inserted AFTER INSERT ON orders
    REFERENCING NEW TABLE AS new_orders
    FOR EACH STATEMENT EXECUTE FUNCTION orders_inserted();

REVOKE EXECUTE ON FUNCTION order_lines_inserted(), orders_inserted() FROM PUBLIC;
