# scripts/db pooler: PgBouncer in transaction pooling mode in front of the
# private cluster. Sourced by scripts/db; uses its helpers.
#
# A stock configuration apart from where it listens: pool_mode =
# transaction, any database name passed on to the cluster, logins looked up
# in the cluster (auth_user, the default auth_query) and trusted, as the
# cluster trusts local connections. It listens only on the cluster's socket
# folder, on a port of its own; run as root, it runs as `postgres`.

pooler_state() {
    load_state
    POOLER_DIR="$STATE_DIR/pooler"
    POOLER_PORT=""
    [ -f "$POOLER_DIR/port" ] && POOLER_PORT=$(cat "$POOLER_DIR/port")
    return 0
}

pooler_running() {
    [ -f "$POOLER_DIR/pgbouncer.pid" ] || return 1
    local pid
    pid=$(cat "$POOLER_DIR/pgbouncer.pid" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

pooler_url() {
    pooler_state
    [ -n "$POOLER_PORT" ] || die "no pooler yet; run scripts/db pooler start" 69
    echo "postgresql:///$DB_NAME?host=$SOCKET_DIR&port=$POOLER_PORT&user=postgres"
}

pooler_binary() {
    local candidate
    for candidate in /usr/sbin/pgbouncer /usr/bin/pgbouncer "$(command -v pgbouncer 2>/dev/null || true)"; do
        [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
    if is_root && command -v apt-get >/dev/null 2>&1; then
        say "installing pgbouncer"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >&2
        [ -x /usr/sbin/pgbouncer ] && { echo /usr/sbin/pgbouncer; return 0; }
    fi
    die "pgbouncer is not installed; install with: sudo apt-get install -y pgbouncer" 69
}

pooler_start() {
    BIN=$(pg_bindir) || die "PostgreSQL is not installed" 69
    pooler_state
    if pooler_running; then say "pooler already running ($(pooler_url))"; return 0; fi
    [ -n "$PORT" ] && running || die "the cluster is not running; run scripts/db start first" 69
    local pgbouncer
    pgbouncer=$(pooler_binary)
    mkdir -p "$POOLER_DIR"
    if is_root; then chown postgres:postgres "$POOLER_DIR"; fi
    if [ -z "$POOLER_PORT" ] || port_in_use "$POOLER_PORT"; then
        POOLER_PORT=$(pick_port)
        echo "$POOLER_PORT" > "$POOLER_DIR/port"
    fi
    : > "$POOLER_DIR/userlist.txt"
    cat > "$POOLER_DIR/pgbouncer.ini" <<INI
[databases]
* = host=$SOCKET_DIR port=$PORT

[pgbouncer]
pool_mode = transaction
unix_socket_dir = $SOCKET_DIR
listen_port = $POOLER_PORT
auth_type = trust
auth_file = $POOLER_DIR/userlist.txt
auth_user = postgres
max_client_conn = 400
default_pool_size = 10
logfile = $POOLER_DIR/pgbouncer.log
pidfile = $POOLER_DIR/pgbouncer.pid
admin_users = postgres
INI
    if is_root; then chown postgres:postgres "$POOLER_DIR"/*; fi
    rm -f "$POOLER_DIR/pgbouncer.pid"
    as_owner "$pgbouncer" -d "$POOLER_DIR/pgbouncer.ini" >/dev/null 2>&1 \
        || { tail -n 20 "$POOLER_DIR/pgbouncer.log" >&2 || true; die "pgbouncer did not start" 69; }
    local tries=0
    until [ -S "$SOCKET_DIR/.s.PGSQL.$POOLER_PORT" ]; do
        tries=$((tries + 1))
        [ $tries -le 100 ] || { tail -n 20 "$POOLER_DIR/pgbouncer.log" >&2 || true; die "pgbouncer did not open its socket in 10 s" 69; }
        sleep 0.1
    done
    say "pooler (PgBouncer, transaction mode) running on $SOCKET_DIR port $POOLER_PORT"
}

pooler_stop() {
    pooler_state
    if pooler_running; then
        local pid tries=0
        pid=$(cat "$POOLER_DIR/pgbouncer.pid")
        kill -INT "$pid"
        while kill -0 "$pid" 2>/dev/null; do
            tries=$((tries + 1))
            [ $tries -le 100 ] || { kill -KILL "$pid" 2>/dev/null || true; break; }
            sleep 0.1
        done
        say "pooler stopped"
    else
        say "pooler not running"
    fi
}

pooler_status() {
    pooler_state
    if pooler_running; then
        echo "pooler running: $(pooler_url)"
    else
        echo "pooler stopped"
        return 3
    fi
}

pooler() {
    [ -z "${DATABASE_URL:-}" ] || die "DATABASE_URL is set: scripts/db pooler only serves the private cluster" 64
    case "${1:-}" in
        start) pooler_start ;;
        stop) pooler_stop ;;
        status) pooler_status ;;
        url) pooler_url ;;
        *) echo "usage: scripts/db pooler start|stop|status|url" >&2; exit 64 ;;
    esac
}
