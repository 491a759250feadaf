-- 014 The database keeps amend's week rules, as 008 keeps its re-open rule.
--
-- `order amend` refuses to move a cancelled line, to move a line to a week
-- that has passed, and to grow a line whose week has passed unless it also
-- moves to a current week. The app role may UPDATE `requested_week` and
-- `quantity` (007, 008), so before this migration an app login could do
-- with SQL what the CLI refuses. Now the database refuses it too: what the
-- CLI can do is what the app role can do. "This week" is the ISO week of the
-- transaction's start, in UTC, as `chipsales` reckons it.
--
-- The trigger fires only for the rows its condition picks: a week that
-- changes, or a quantity that grows (not for shipments, cancellations or a
-- smaller quantity).

CREATE FUNCTION order_lines_check_amendment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    this_week iso_week := iso_week_of(now());
BEGIN
    IF NEW.requested_week IS DISTINCT FROM OLD.requested_week THEN
        IF OLD.cancelled_qty > 0 THEN
            RAISE EXCEPTION 'order line % of order %: a cancelled line cannot be moved to another week', OLD.line_no, OLD.order_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'order_lines_cancelled_final', TABLE = 'order_lines';
        END IF;
        IF NEW.requested_week::text < this_week::text THEN
            RAISE EXCEPTION 'order line % of order %: week % is in the past (this is %)', OLD.line_no, OLD.order_id,
                NEW.requested_week, this_week
                USING ERRCODE = 'check_violation', CONSTRAINT = 'order_lines_week_not_past', TABLE = 'order_lines';
        END IF;
    END IF;
    IF NEW.quantity > OLD.quantity AND NEW.requested_week::text < this_week::text THEN
        RAISE EXCEPTION 'order line % of order %: cannot grow a line due in %, which is in the past (this is %)',
            OLD.line_no, OLD.order_id, NEW.requested_week, this_week
            USING ERRCODE = 'check_violation', CONSTRAINT = 'order_lines_week_not_past', TABLE = 'order_lines';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER order_lines_amend_rules BEFORE UPDATE OF quantity, requested_week ON order_lines
    FOR EACH ROW
    WHEN (NEW.requested_week IS DISTINCT FROM OLD.requested_week OR NEW.quantity > OLD.quantity)
    EXECUTE FUNCTION order_lines_check_amendment();

REVOKE EXECUTE ON FUNCTION order_lines_check_amendment() FROM PUBLIC;
