# scripts/db replica: a streaming hot standby of the private cluster.
# Sourced by scripts/db; uses its helpers (as_owner, load_state, pick_port …).
#
# The standby lives in $STATE_DIR/replica/data, listens on the primary's
# socket folder on a port of its own, and follows the primary through the
# primary_conninfo that pg_basebackup -R writes.

replica_state() {
    load_state
    REPLICA_DIR="$STATE_DIR/replica"
    REPLICA_DATA="$REPLICA_DIR/data"
    REPLICA_PORT=""
    [ -f "$REPLICA_DIR/port" ] && REPLICA_PORT=$(cat "$REPLICA_DIR/port")
    return 0
}

replica_running() {
    [ -f "$REPLICA_DATA/PG_VERSION" ] || return 1
    as_owner "$BIN/pg_ctl" -D "$REPLICA_DATA" status >/dev/null 2>&1
}

replica_url() {
    replica_state
    [ -n "$REPLICA_PORT" ] || die "no standby yet; run scripts/db replica start" 69
    echo "postgresql:///$DB_NAME?host=$SOCKET_DIR&port=$REPLICA_PORT&user=postgres"
}

replica_start() {
    BIN=$(pg_bindir) || die "PostgreSQL is not installed" 69
    replica_state
    if replica_running; then say "standby already running ($(replica_url))"; return 0; fi
    [ -n "$PORT" ] && running || die "the primary is not running; run scripts/db start first" 69
    if [ ! -f "$REPLICA_DATA/PG_VERSION" ]; then
        mkdir -p "$REPLICA_DIR"
        if is_root; then chown postgres:postgres "$REPLICA_DIR"; fi
        say "copying the primary into $REPLICA_DATA (pg_basebackup -R)"
        as_owner "$BIN/pg_basebackup" -h "$SOCKET_DIR" -p "$PORT" -U postgres -D "$REPLICA_DATA" \
            -R -X stream -c fast >"$REPLICA_DIR/basebackup.log" 2>&1 \
            || { cat "$REPLICA_DIR/basebackup.log" >&2; rm -rf "$REPLICA_DATA"; die "pg_basebackup failed" 69; }
    fi
    if [ -z "$REPLICA_PORT" ] || port_in_use "$REPLICA_PORT"; then
        REPLICA_PORT=$(pick_port)
        echo "$REPLICA_PORT" > "$REPLICA_DIR/port"
    fi
    as_owner "$BIN/pg_ctl" -D "$REPLICA_DATA" -l "$REPLICA_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $SOCKET_DIR -p $REPLICA_PORT -c hot_standby=on -c fsync=${CHIPSALES_PG_FSYNC:-on} -c max_connections=200 -c archive_mode=off -c max_standby_streaming_delay=${CHIPSALES_STANDBY_DELAY:-30s}" \
        start >/dev/null \
        || { tail -n 20 "$REPLICA_DIR/server.log" >&2 || true; die "the standby did not start" 69; }
    say "standby running on $SOCKET_DIR port $REPLICA_PORT, streaming from port $PORT"
}

replica_stop() {
    BIN=$(pg_bindir) || die "PostgreSQL is not installed" 69
    replica_state
    if replica_running; then
        as_owner "$BIN/pg_ctl" -D "$REPLICA_DATA" -m fast -w stop >/dev/null
        say "standby stopped"
    else
        say "standby not running"
    fi
}

replica_status() {
    BIN=$(pg_bindir) || die "PostgreSQL is not installed" 69
    replica_state
    if replica_running; then
        local lag
        lag=$("$BIN/psql" -X -qtA "$(replica_url)" -c \
            "SELECT 'received ' || coalesce(pg_last_wal_receive_lsn()::text, '-') || ', replayed ' || coalesce(pg_last_wal_replay_lsn()::text, '-') || ', last replayed commit ' || coalesce(to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"'), '-')" 2>/dev/null || echo "not answering")
        echo "standby running: $(replica_url) ($lag)"
    else
        echo "standby stopped"
        return 3
    fi
}

replica() {
    [ -z "${DATABASE_URL:-}" ] || die "DATABASE_URL is set: scripts/db replica only serves the private cluster" 64
    case "${1:-}" in
        start) replica_start ;;
        stop) replica_stop ;;
        status) replica_status ;;
        url) replica_url ;;
        *) echo "usage: scripts/db replica start|stop|status|url" >&2; exit 64 ;;
    esac
}
