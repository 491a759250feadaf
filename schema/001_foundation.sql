-- 001 Foundation: the ISO week type every table of this project uses.
--
-- Weeks are ISO 8601 weeks written like '2026-W49'. A year has week 53 only
-- when its ISO calendar does (2026 does, 2025 does not); the check below
-- asks PostgreSQL's own ISO calendar.

CREATE FUNCTION is_iso_week(w text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- Plain immutable expressions only, so PostgreSQL inlines the function
    -- into the million-row checks of bulk imports. Weeks 01-52 exist in
    -- every year; 53 only when 1 January is a Thursday, or a Wednesday in a
    -- leap year.
    SELECT length(w) = 8 AND substr(w, 5, 2) = '-W' AND translate(w, '0123456789', '') = '-W'
       AND left(w, 4) <> '0000'
       AND substr(w, 7, 2) COLLATE "C" BETWEEN '01' AND '53'
       AND (substr(w, 7, 2) <> '53' OR CASE
               WHEN length(w) = 8 AND translate(w, '0123456789', '') = '-W' THEN
                   ((left(w, 4)::int - 1) * 365 + (left(w, 4)::int - 1) / 4 - (left(w, 4)::int - 1) / 100
                    + (left(w, 4)::int - 1) / 400) % 7 = 3
                   OR (((left(w, 4)::int - 1) * 365 + (left(w, 4)::int - 1) / 4 - (left(w, 4)::int - 1) / 100
                        + (left(w, 4)::int - 1) / 400) % 7 = 2
                       AND left(w, 4)::int % 4 = 0 AND (left(w, 4)::int % 100 <> 0 OR left(w, 4)::int % 400 = 0))
               ELSE false
           END)
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
