# scripts/db backup / restore: base backups plus WAL archiving, and
# point-in-time recovery, for the private cluster. Sourced by scripts/db.
#
# Backups go to $STATE_DIR/backups/base-<UTC time>/ (a plain copy made by
# pg_basebackup, with the time it became consistent in `finished_at`), the
# archived WAL to $STATE_DIR/wal-archive/. The first backup turns archiving
# on (archive_mode needs a restart, which it does); it stays on.

backup_state() {
    load_state
    BACKUP_DIR="$STATE_DIR/backups"
    ARCHIVE_DIR="$STATE_DIR/wal-archive"
}

psql_primary() {
    "$BIN/psql" -X -q -tA -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

# Archiving on, restarting the cluster when archive_mode was off.
ensure_archiving() {
    mkdir -p "$ARCHIVE_DIR"
    if is_root; then chown postgres:postgres "$ARCHIVE_DIR"; fi
    local command="test ! -f '$ARCHIVE_DIR/%f' && cp '%p' '$ARCHIVE_DIR/%f.part' && mv '$ARCHIVE_DIR/%f.part' '$ARCHIVE_DIR/%f'"
    psql_primary -c "ALTER SYSTEM SET archive_command = \$\$${command}\$\$" >/dev/null
    psql_primary -c "SELECT pg_reload_conf()" >/dev/null
    if [ "$(psql_primary -c 'SHOW archive_mode')" != on ]; then
        psql_primary -c "ALTER SYSTEM SET archive_mode = on" >/dev/null
        say "turning WAL archiving on (restarting the cluster)"
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 restart >/dev/null \
            || { tail -n 20 "$STATE_DIR/server.log" >&2 || true; die "the cluster did not restart" 69; }
    fi
}

backup() {
    [ -z "${DATABASE_URL:-}" ] || die "DATABASE_URL is set: scripts/db backup only serves the private cluster (see docs/reliability.md for a managed server)" 64
    BIN=$(pg_bindir) || die "PostgreSQL is not installed" 69
    backup_state
    [ -n "$PORT" ] && running || die "the cluster is not running; run scripts/db start first" 69
    ensure_archiving
    mkdir -p "$BACKUP_DIR"
    if is_root; then chown postgres:postgres "$BACKUP_DIR"; fi
    local name target
    name="base-$(date -u +%Y%m%dT%H%M%S%NZ)"
    target="$BACKUP_DIR/$name"
    as_owner "$BIN/pg_basebackup" -h "$SOCKET_DIR" -p "$PORT" -U postgres -D "$target" -X stream -c fast \
        >"$BACKUP_DIR/$name.log" 2>&1 \
        || { cat "$BACKUP_DIR/$name.log" >&2; rm -rf "$target"; die "pg_basebackup failed" 69; }
    # The backup is consistent from the moment it ended: it serves any
    # recovery target from then on.
    psql_primary -c "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US+00')" > "$BACKUP_DIR/$name.finished_at"
    # Close the WAL segment the backup ended in, so the archive holds it.
    psql_primary -c "SELECT pg_switch_wal()" >/dev/null
    say "base backup $target (finished $(cat "$BACKUP_DIR/$name.finished_at")); WAL is archived to $ARCHIVE_DIR"
    echo "$target"
}

# Waits (at most 60 s) until the archiver has copied every finished segment.
wait_for_archive() {
    local segment tries=0
    segment=$(psql_primary -c "SELECT pg_walfile_name(pg_switch_wal())")
    until [ -f "$ARCHIVE_DIR/$segment" ]; do
        tries=$((tries + 1))
        [ $tries -le 600 ] || die "WAL segment $segment was not archived in 60 s (see $STATE_DIR/server.log)" 69
        sleep 0.1
    done
}

restore() {
    [ -z "${DATABASE_URL:-}" ] || die "DATABASE_URL is set: scripts/db restore only serves the private cluster (see docs/reliability.md for a managed server)" 64
    local target=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --to) [ $# -ge 2 ] || die "--to needs a timestamp, e.g. --to '2026-11-30 06:00:00'" 64; target=$2; shift 2 ;;
            --to=*) target=${1#--to=}; shift ;;
            *) die "usage: scripts/db restore --to TIMESTAMP" 64 ;;
        esac
    done
    [ -n "$target" ] || die "usage: scripts/db restore --to TIMESTAMP" 64
    local utc
    utc=$(TZ=UTC date -u -d "$target" '+%Y-%m-%d %H:%M:%S.%6N+00' 2>/dev/null) \
        || die "--to $target is not a time (e.g. '2026-11-30 06:00:00', UTC unless it names a zone)" 64
    BIN=$(pg_bindir) || die "PostgreSQL is not installed" 69
    backup_state
    [ -f "$DATA/PG_VERSION" ] || die "no private cluster yet" 69
    # The newest base backup that was consistent by the target time.
    local base="" finished candidate
    for candidate in $(ls -d "$BACKUP_DIR"/base-* 2>/dev/null | sort -r); do
        [ -d "$candidate" ] && [ -f "$candidate.finished_at" ] || continue
        finished=$(date -u -d "$(cat "$candidate.finished_at")" +%s%N)
        if [ "$finished" -le "$(date -u -d "$utc" +%s%N)" ]; then base=$candidate; break; fi
    done
    [ -n "$base" ] || die "no base backup finished before $utc; see scripts/db backup" 65
    if running; then
        wait_for_archive
        stop
    fi
    local aside
    aside="$STATE_DIR/data.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$DATA" "$aside"
    if ! cp -a "$base" "$DATA"; then mv "$aside" "$DATA"; die "cannot copy the base backup" 69; fi
    # WAL the old cluster wrote but had not archived yet.
    cp -an "$aside"/pg_wal/0* "$DATA/pg_wal/" 2>/dev/null || true
    rm -f "$DATA/postmaster.pid"
    cat >> "$DATA/postgresql.auto.conf" <<CONF
restore_command = 'cp $ARCHIVE_DIR/%f %p'
recovery_target_time = '$utc'
recovery_target_action = 'promote'
CONF
    as_owner touch "$DATA/recovery.signal"
    if is_root; then chown -R postgres:postgres "$DATA"; fi
    say "recovering to $utc from $(basename "$base") and the archived WAL"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$STATE_DIR/server.log" -w -t 120 \
        -o "-c listen_addresses='' -k $SOCKET_DIR -p $PORT -c fsync=${CHIPSALES_PG_FSYNC:-on} -c max_connections=200" start >/dev/null \
        || { tail -n 20 "$STATE_DIR/server.log" >&2 || true
             as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
             rm -rf "$DATA"; mv "$aside" "$DATA"
             die "recovery failed; the cluster's data is back as it was before the restore (start it with scripts/db start)" 69; }
    local tries=0
    until [ "$(psql_primary -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do
        tries=$((tries + 1))
        [ $tries -le 1200 ] || die "recovery did not finish in 120 s (see $STATE_DIR/server.log)" 69
        sleep 0.1
    done
    # The recovery settings served once; a later restart must not recover again.
    psql_primary -c "ALTER SYSTEM RESET restore_command" -c "ALTER SYSTEM RESET recovery_target_time" \
        -c "ALTER SYSTEM RESET recovery_target_action" >/dev/null
    say "restored to $utc; the data it replaced is in $aside (delete it when satisfied)"
    say "a standby made before the restore follows the old timeline: scripts/db replica stop, remove $STATE_DIR/replica, start it again"
}
