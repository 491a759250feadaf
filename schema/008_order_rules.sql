-- 008 Order rules: what an order desk expects the database to hold to.
--
-- Currencies are checked against ISO 4217 as countries are against ISO 3166
-- (002): products name one from the `currencies` table, and order lines take
-- their product's. A contract's weekly minimum and maximum are whole lots of
-- their SKU, as every quantity is. A cancelled line stays cancelled: its
-- quantity does not change again (that no cancellation is ever undone is
-- 007's `order_lines_check_cancellation`). An amendment may move a line's
-- requested week, so the app role, which 007 gives exactly the columns the
-- CLI writes, may now update that column too.
-- (The entry rules that need the calendar or the stored orders, such as no
-- weeks in the past and one currency per order, are the application's: see
-- the Domain module.)

-- ISO 4217 list one: the 175 current codes (2026), without XTS and XXX
-- (reserved for testing and for "no currency"), which no price is in.
CREATE TABLE currencies (
    code char(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$')
);
INSERT INTO currencies (code) VALUES
    ('AED'), ('AFN'), ('ALL'), ('AMD'), ('AOA'), ('ARS'), ('AUD'), ('AWG'), ('AZN'), ('BAM'), ('BBD'), ('BDT'),
    ('BHD'), ('BIF'), ('BMD'), ('BND'), ('BOB'), ('BOV'), ('BRL'), ('BSD'), ('BTN'), ('BWP'), ('BYN'), ('BZD'),
    ('CAD'), ('CDF'), ('CHE'), ('CHF'), ('CHW'), ('CLF'), ('CLP'), ('CNY'), ('COP'), ('COU'), ('CRC'), ('CUP'),
    ('CVE'), ('CZK'), ('DJF'), ('DKK'), ('DOP'), ('DZD'), ('EGP'), ('ERN'), ('ETB'), ('EUR'), ('FJD'), ('FKP'),
    ('GBP'), ('GEL'), ('GHS'), ('GIP'), ('GMD'), ('GNF'), ('GTQ'), ('GYD'), ('HKD'), ('HNL'), ('HTG'), ('HUF'),
    ('IDR'), ('ILS'), ('INR'), ('IQD'), ('IRR'), ('ISK'), ('JMD'), ('JOD'), ('JPY'), ('KES'), ('KGS'), ('KHR'),
    ('KMF'), ('KPW'), ('KRW'), ('KWD'), ('KYD'), ('KZT'), ('LAK'), ('LBP'), ('LKR'), ('LRD'), ('LSL'), ('LYD'),
    ('MAD'), ('MDL'), ('MGA'), ('MKD'), ('MMK'), ('MNT'), ('MOP'), ('MRU'), ('MUR'), ('MVR'), ('MWK'), ('MXN'),
    ('MXV'), ('MYR'), ('MZN'), ('NAD'), ('NGN'), ('NIO'), ('NOK'), ('NPR'), ('NZD'), ('OMR'), ('PAB'), ('PEN'),
    ('PGK'), ('PHP'), ('PKR'), ('PLN'), ('PYG'), ('QAR'), ('RON'), ('RSD'), ('RUB'), ('RWF'), ('SAR'), ('SBD'),
    ('SCR'), ('SDG'), ('SEK'), ('SGD'), ('SHP'), ('SLE'), ('SOS'), ('SRD'), ('SSP'), ('STN'), ('SVC'), ('SYP'),
    ('SZL'), ('THB'), ('TJS'), ('TMT'), ('TND'), ('TOP'), ('TRY'), ('TTD'), ('TWD'), ('TZS'), ('UAH'), ('UGX'),
    ('USD'), ('USN'), ('UYI'), ('UYU'), ('UYW'), ('UZS'), ('VED'), ('VES'), ('VND'), ('VUV'), ('WST'), ('XAF'),
    ('XAG'), ('XAU'), ('XBA'), ('XBB'), ('XBC'), ('XBD'), ('XCD'), ('XCG'), ('XDR'), ('XOF'), ('XPD'), ('XPF'),
    ('XPT'), ('XSU'), ('XUA'), ('YER'), ('ZAR'), ('ZMW'), ('ZWG');

-- Products stored before this migration keep whatever they name; the key
-- is validated only when every one of them is a real code.
ALTER TABLE products ADD CONSTRAINT products_currency_fkey
    FOREIGN KEY (currency) REFERENCES currencies (code) NOT VALID;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM products p WHERE NOT EXISTS (SELECT 1 FROM currencies c WHERE c.code = p.currency)) THEN
        ALTER TABLE products VALIDATE CONSTRAINT products_currency_fkey;
    END IF;
END $$;

-- Contract terms in whole lots. The lot size lives with the product, so a
-- CHECK cannot see it: a row trigger (contracts are few and rarely change)
-- raises a check violation under the rule's name.
CREATE FUNCTION contracts_check_whole_lots() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    lot integer;
BEGIN
    SELECT p.lot_size INTO lot FROM products p WHERE p.sku = NEW.sku;
    IF lot IS NOT NULL AND (NEW.minimum_per_week % lot <> 0 OR NEW.maximum_per_week % lot <> 0) THEN
        RAISE EXCEPTION 'contract of % for %: minimum % and maximum % must be whole lots of % (lot size %)',
                NEW.customer_id, NEW.sku, coalesce(NEW.minimum_per_week::text, 'none'),
                coalesce(NEW.maximum_per_week::text, 'none'), NEW.sku, lot
            USING ERRCODE = 'check_violation', CONSTRAINT = 'contracts_whole_lots', TABLE = 'customer_contracts';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER contracts_whole_lots BEFORE INSERT OR UPDATE OF sku, minimum_per_week, maximum_per_week ON customer_contracts
    FOR EACH ROW EXECUTE FUNCTION contracts_check_whole_lots();

-- A cancelled line is never re-opened by a new quantity. A cancellation
-- cancels all that is open (007), so a line with any chips cancelled has
-- none open, whether or not part of it shipped first. The trigger fires
-- only for the rows its condition picks (no cost for shipments and ordinary
-- amendments); a cancellation that falls is 007's to refuse.
CREATE FUNCTION order_lines_refuse_reopen() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'order line % of order %: a cancelled line cannot be re-opened', OLD.line_no, OLD.order_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'order_lines_cancelled_final', TABLE = 'order_lines';
END $$;

CREATE TRIGGER order_lines_cancelled_final BEFORE UPDATE OF quantity ON order_lines
    FOR EACH ROW
    WHEN (OLD.cancelled_qty > 0 AND NEW.quantity <> OLD.quantity)
    EXECUTE FUNCTION order_lines_refuse_reopen();

-- Privileges, as in 007: trigger functions for nobody to call (a trigger
-- fires without its caller's EXECUTE); the app reads currencies and, to
-- amend a line's week, updates `requested_week`.
REVOKE EXECUTE ON FUNCTION contracts_check_whole_lots(), order_lines_refuse_reopen() FROM PUBLIC;
GRANT SELECT ON currencies TO chipsales_app;
GRANT UPDATE (requested_week) ON order_lines TO chipsales_app;
