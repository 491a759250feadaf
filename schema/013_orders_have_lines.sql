-- 013 Every order has at least one line.
--
-- An order is its lines: `order create` and `order import` store an order and
-- its lines in one transaction. The app role may insert into `orders`, so
-- before this migration a client could store an order with no line: no
-- command showed it (`order show` answered "does not exist"), its reference
-- was taken, and `order create` of that reference failed. Now the database
-- refuses a transaction that ends with a new order and no line for it.
--
-- Set-wise, so a bulk import of 250,000 orders pays for one check, not one
-- trigger call per order: a statement-level trigger notes the range of order
-- ids each INSERT created (identity values: increasing within a statement),
-- and a deferred constraint trigger on that note checks the range at commit
-- (an order of another session in the range is either not visible yet or
-- committed, and then it passed its own check). The notes are deleted as
-- they are checked, so the table stays empty outside a transaction.
-- Orders stored without lines before this migration are listed by
-- `chipsales db check`.

CREATE TABLE order_line_checks (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_order_id bigint NOT NULL,
    last_order_id  bigint NOT NULL
);

CREATE FUNCTION orders_note_new() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO order_line_checks (first_order_id, last_order_id)
    SELECT min(id), max(id) FROM new_orders HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE TRIGGER orders_note_new AFTER INSERT ON orders
    REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION orders_note_new();

CREATE FUNCTION orders_check_lines() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    bare record;
BEGIN
    SELECT o.id, o.customer_id, o.reference INTO bare
    FROM orders o
    WHERE o.id BETWEEN NEW.first_order_id AND NEW.last_order_id
      AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
    ORDER BY o.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'order % (%/%) has no lines: an order is stored with its lines, in one transaction',
            bare.id, bare.customer_id, bare.reference
            USING ERRCODE = 'check_violation', CONSTRAINT = 'orders_have_lines', TABLE = 'orders';
    END IF;
    DELETE FROM order_line_checks WHERE id = NEW.id;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER orders_have_lines AFTER INSERT ON order_line_checks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION orders_check_lines();

REVOKE ALL ON order_line_checks FROM chipsales_app, chipsales_reporting;
REVOKE EXECUTE ON FUNCTION orders_note_new(), orders_check_lines() FROM PUBLIC;
