-- 001 Foundation: the ISO week type every table of this project uses.
--
-- Weeks are ISO 8601 weeks written like '2026-W49'. A year has week 53 only
-- when its ISO calendar does (2026 does, 2025 does not); the check below
-- asks PostgreSQL's own ISO calendar.

CREATE FUNCTION is_iso_week(w text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE
        WHEN w !~ '^[0-9]{4}-W[0-9]{2}$' THEN false
        WHEN substr(w, 7, 2)::int NOT BETWEEN 1 AND 53 THEN false
        ELSE to_char(to_date(w, 'IYYY-"W"IW'), 'IYYY-"W"IW') = w
    END
$$;

COMMENT ON FUNCTION is_iso_week(text) IS 'True when w is a valid ISO week such as 2026-W49.';

CREATE DOMAIN iso_week AS text
    CONSTRAINT iso_week_format CHECK (is_iso_week(VALUE));

COMMENT ON DOMAIN iso_week IS 'An ISO 8601 week, written YYYY-Www (2026-W49); sorts in calendar order as text.';

-- The Monday a week starts on, for date arithmetic and week ranges.
CREATE FUNCTION iso_week_monday(w iso_week) RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_date(w, 'IYYY-"W"IW')
$$;

-- The week n weeks after w (n may be negative).
CREATE FUNCTION iso_week_add(w iso_week, n integer) RETURNS iso_week
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_char(to_date(w, 'IYYY-"W"IW') + 7 * n, 'IYYY-"W"IW')::iso_week
$$;

-- The ISO week a moment falls in (UTC).
CREATE FUNCTION iso_week_of(t timestamptz) RETURNS iso_week
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'IYYY-"W"IW')::iso_week
$$;
