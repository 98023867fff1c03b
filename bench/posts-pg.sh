#!/usr/bin/env bash
# The posts workload on PostgreSQL: one replica, then two replicas behind nginx
# (packaging/nginx/outpost-replicas.conf.in), each on a fresh database of a throwaway
# PostgreSQL 15 cluster (tests/postgres/pgcluster.sh). Prints req/s and p99 per setup and
# workload. See bench/README.md.
#
#   bench/posts-pg.sh                 (or: make bench-pg)
#
# Environment:
#   OUTPOST_SERVER     Release binary (default build/release/bin/outpost-server)
#   BENCH_DURATION     each measured run (default 10s; at most 10m)
#   BENCH_POSTS        posts to seed per setup (default 2000)
#   BENCH_CONNECTIONS  wrk -c (default 64)    BENCH_THREADS  wrk -t (default 2)
#   BENCH_REPLICAS     the setups to run (default "1 2")
#   NGINX, WRK, PYTHON the programs to use
#
# Only 127.0.0.1 is contacted. Every process started here, the cluster included, is stopped on
# exit, failure and Ctrl-C; every step is bounded in time.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_name=bench-pg
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$repo_root/bench/lib.sh"

server=${OUTPOST_SERVER:-build/release/bin/outpost-server}
duration=${BENCH_DURATION:-10s}
posts=${BENCH_POSTS:-2000}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
setups=${BENCH_REPLICAS:-1 2}
nginx=${NGINX:-/usr/sbin/nginx}
wrk=${WRK:-wrk}
python=${PYTHON:-/usr/bin/python3}

duration_s=$(seconds_of "$duration")
((duration_s >= 1 && duration_s <= 600)) || die "BENCH_DURATION must be from 1s to 10m"
{ [[ $posts =~ ^[0-9]+$ ]] && ((posts >= 1 && posts <= 100000)); } || die "BENCH_POSTS must be 1..100000"
[[ $server == /* ]] || server=$repo_root/$server
[[ -x $server ]] || die "$server is missing; build the release preset (make bench-pg does)"
command -v "$wrk" >/dev/null || die "wrk not found (Debian: apt-get install wrk)"
[[ -x $nginx ]] || die "nginx not found at $nginx (Debian: apt-get install nginx-light)"
[[ -x $python ]] || die "$python not found"

bench_init_work pg-bench
work=$bench_work
chmod 755 "$work"
cluster_state=$work/pgcluster
stop_cluster() { "$repo_root/tests/postgres/pgcluster.sh" stop "$cluster_state" >/dev/null 2>&1 || true; }
trap 'stop_cluster; bench_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

OUTPOST_PG_MAX_SECONDS=3600 "$repo_root/tests/postgres/pgcluster.sh" start "$cluster_state" >&2
# shellcheck source=/dev/null
source "$cluster_state/cluster.env"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/jwt.key"

psql_admin() {
    PGPASSWORD=$(cat "$PGPASSWORD_FILE") psql -X -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" \
        -d postgres -v ON_ERROR_STOP=1 -c "$1"
}

echo "machine: $(nproc) cores; PostgreSQL on 127.0.0.1:$PGPORT (fsync off, as in the tests)"
echo "load: wrk -t$threads -c$connections -d$duration --latency, keep-alive; $posts posts seeded"
printf '%-9s %-12s %10s %9s %9s\n' replicas workload "req/s" "p99 ms" "non-2xx"

for replicas in $setups; do
    [[ $replicas =~ ^[12]$ ]] || die "BENCH_REPLICAS takes 1 and 2"
    db=bench_$replicas
    psql_admin "CREATE DATABASE $db"
    url="postgresql://$PGUSER@$PGHOST:$PGPORT/$db"
    ports=()
    for ((i = 0; i < replicas; i++)); do
        port=$(free_port)
        start_outpost "$server" "$port" "$work/data-$replicas-$i" "$work/out-$replicas-$i.log" \
            "$work/err-$replicas-$i.log" OUTPOST_DATABASE_URL="$url" \
            OUTPOST_DATABASE_PASSWORD_FILE="$PGPASSWORD_FILE" OUTPOST_JWT_SECRET_FILE="$work/jwt.key" \
            OUTPOST_LOG_FORMAT=json OUTPOST_BCRYPT_COST=12 OUTPOST_ACCESS_TOKEN_TTL=2h
        wait_ready outpost-server "$outpost_pid" "$port" /readyz 60 \
            || { tail -n 20 "$work/err-$replicas-$i.log" >&2; die "replica $i did not start"; }
        ports+=("$port")
    done
    target_port=${ports[0]}
    if ((replicas > 1)); then
        target_port=$(free_port)
        upstreams=""
        for port in "${ports[@]}"; do
            upstreams+="        server 127.0.0.1:$port max_fails=3 fail_timeout=10s;\n"
        done
        mkdir -p "$work/nginx-$replicas"
        sed -e "s|@WORK_DIR@|$work/nginx-$replicas|g" -e "s|@PORT@|$target_port|g" \
            -e "s|@UPSTREAMS@|$upstreams|" \
            "$repo_root/packaging/nginx/outpost-replicas.conf.in" >"$work/nginx-$replicas/nginx.conf"
        "$nginx" -e "$work/nginx-$replicas/error.log" -p "$work/nginx-$replicas" \
            -c "$work/nginx-$replicas/nginx.conf" -g 'daemon off;' >"$work/nginx-$replicas.out" 2>&1 &
        bench_pids+=("$!")
        wait_ready nginx "$!" "$target_port" /healthz 10 \
            || { cat "$work/nginx-$replicas.out" >&2; die "nginx did not start"; }
    fi
    base=http://127.0.0.1:$target_port

    run_stoppable timeout 900 "$python" "$repo_root/bench/seed.py" --base "$base" \
        --posts "$posts" --workers 16 --env-out "$work/seed-$replicas.env" \
        --vote-ids-out "$work/vote-ids-$replicas.txt" >/dev/null 2>"$work/seed-$replicas.log" \
        || { cat "$work/seed-$replicas.log" >&2; die "seeding failed"; }
    # shellcheck source=/dev/null
    source "$work/seed-$replicas.env"
    post_id=$(((posts + 1) / 2))

    for workload in posts_list post_get post_create vote; do
        args=() url=$base token=$BENCH_TOKEN
        case $workload in
            posts_list) url="$base/v1/posts?limit=10" ;;
            post_get) url=$base/v1/posts/$post_id ;;
            post_create) url=$base/v1/posts args=(-s "$repo_root/bench/post-create.lua") ;;
            vote) url=$base/v1/vote args=(-s "$repo_root/bench/vote.lua") token=$VOTER_TOKEN ;;
        esac
        [[ ${#args[@]} -eq 0 ]] && args=(-H "Authorization: Bearer $token")
        result=$work/wrk-$replicas-$workload.txt
        TOKEN=$token VOTE_IDS=$work/vote-ids-$replicas.txt VOTE_THREADS=$threads \
            run_stoppable timeout $((duration_s + 30)) "$wrk" -t"$threads" -c"$connections" \
            -d"${duration_s}s" --timeout 10s --latency "${args[@]}" "$url" >"$result" 2>&1 \
            || { cat "$result" >&2; die "wrk failed for $workload"; }
        printf '%-9s %-12s %10s %9s %9s\n' "$replicas" "$workload" "$(wrk_rps "$result")" \
            "$(wrk_percentile_ms "$result" 99%)" "$(wrk_non2xx "$result")"
    done
done
