#!/bin/bash
# A throwaway PostgreSQL cluster for the tests: pgcluster.sh start|stop STATE_DIR [SERVER]
#
# start: stops a cluster left behind by an earlier (killed) run, makes a new one with initdb in
#        a fresh temporary directory, serves it on 127.0.0.1 and a free port, and writes
#        STATE_DIR/cluster.env (PGDIR, PGPORT, PGUSER, PGPASSWORD_FILE). A watchdog stops it
#        after OUTPOST_PG_MAX_SECONDS (default 3600) even if `stop` never runs. With SERVER
#        (an outpost-server binary), it also makes the database outpost_template with every
#        migration applied (PGTEMPLATE in cluster.env), which test servers copy instead of
#        migrating a new database each time.
# stop:  stops the cluster and removes its directory; succeeds when there is none.
#
# initdb and postgres refuse to run as root: as root they run as the `postgres` system user
# (created by Debian's postgresql package).
set -euo pipefail

action=${1:-}
state=${2:-}
server=${3:-}
if [[ -z "$action" || -z "$state" ]]; then
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
fi

bindir=$(pg_config --bindir 2>/dev/null || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
    bindir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
    echo "PostgreSQL server binaries not found (install Debian's postgresql package)" >&2
    exit 1
fi

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop_cluster() {
    local env_file="$state/cluster.env"
    [[ -f "$env_file" ]] || return 0
    local PGDIR="" WATCHDOG_PID=""
    # shellcheck disable=SC1090
    source "$env_file"
    if [[ -n "$WATCHDOG_PID" ]]; then
        kill "$WATCHDOG_PID" 2>/dev/null || true
    fi
    if [[ -n "$PGDIR" && -d "$PGDIR/data" ]]; then
        as_owner "$bindir/pg_ctl" -D "$PGDIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        if [[ -f "$PGDIR/data/postmaster.pid" ]]; then
            local pid
            pid=$(head -n 1 "$PGDIR/data/postmaster.pid" 2>/dev/null || true)
            if [[ -n "$pid" ]]; then kill -9 "$pid" 2>/dev/null || true; fi
        fi
    fi
    [[ -n "$PGDIR" && "$PGDIR" == */outpost-pg.* ]] && rm -rf "$PGDIR"
    rm -f "$env_file"
}

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_cluster() {
    mkdir -p "$state"
    stop_cluster # a cluster left by a killed run
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/outpost-pg.XXXXXXXX")
    chmod 700 "$dir"
    trap 'as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' ERR
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir/password"
    chmod 600 "$dir/password"
    as_owner "$bindir/initdb" -D "$dir/data" -U outpost --pwfile="$dir/password" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; false; }

    local port=""
    for _ in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        port_is_free "$port" || continue
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
                -c max_connections=400 -c shared_buffers=64MB" start >/dev/null; then
            break
        fi
        port=""
    done
    if [[ -z "$port" ]]; then
        cat "$dir/server.log" >&2 || true
        echo "could not start PostgreSQL on a free port" >&2
        false
    fi

    # The watchdog: stops the cluster if nobody does (a killed ctest). Detached, so ctest does
    # not wait for it.
    local max=${OUTPOST_PG_MAX_SECONDS:-3600}
    setsid bash -c "sleep $max; '$bindir/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1 \
        || runuser -u postgres -- '$bindir/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1; \
        rm -rf '$dir'" </dev/null >/dev/null 2>&1 &
    local watchdog=$!
    cat >"$state/cluster.env" <<ENV
PGDIR=$dir
PGHOST=127.0.0.1
PGPORT=$port
PGUSER=outpost
PGPASSWORD_FILE=$dir/password
WATCHDOG_PID=$watchdog
ENV
    chmod 600 "$state/cluster.env"
    if [[ -n "$server" ]]; then
        PGPASSWORD=$(cat "$dir/password") "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" \
            -U outpost -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE outpost_template"
        OUTPOST_LOG_FORMAT=text OUTPOST_DATABASE_PASSWORD_FILE="$dir/password" "$server" migrate up \
            --database "postgresql://outpost@127.0.0.1:$port/outpost_template" >"$dir/template.log" 2>&1 \
            || { cat "$dir/template.log" >&2; false; }
        echo "PGTEMPLATE=outpost_template" >>"$state/cluster.env"
    fi
    trap - ERR
    echo "$("$bindir/postgres" --version) on 127.0.0.1:$port ($dir)"
}

case "$action" in
start) start_cluster ;;
stop) stop_cluster ;;
*)
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
