#!/usr/bin/env bash
# Load benchmark of the posts API: outpost-server (Release) on 127.0.0.1 with 10,000 posts
# seeded through the API, measured with wrk like the FastAPI anchor
# (shared/anchors/fastapi-ref). See bench/README.md.
#
#   bench/posts.sh                    (or: make bench-posts)
#
# Workloads, in this order, on one server: posts_list (GET /v1/posts?limit=10), post_get
# (GET /v1/posts/5001), post_create (POST /v1/posts, bench/post-create.lua), vote
# (POST /v1/vote toggling a vote on and off, bench/vote.lua). Each: a warm-up, then
# wrk -t2 -c64 -d10s --timeout 10s --latency with a bearer token.
#
# Environment:
#   OUTPOST_SERVER     Release binary (default build/release/bin/outpost-server)
#   BENCH_DURATION     length of each measured run, wrk syntax: 10s (default), 30s, 2m; at most 10m
#   BENCH_WARMUP       unmeasured run before each measured one (default 2s; 0 to skip)
#   BENCH_CONNECTIONS  wrk -c (default 64)     BENCH_THREADS  wrk -t (default 2)
#   BENCH_WORKLOADS    a subset, in any order (default "posts_list post_get post_create vote";
#                      "healthz" is also known)
#   BENCH_POSTS        posts to seed (default 10000)   BENCH_POST_ID  post_get's id (default 5001)
#   BENCH_OUT          a directory for outpost.tsv (machine-readable results), the wrk output
#                      and the server's logs; default: none, only the table on stdout
#   BENCH_KEEP=1       keep the temporary directory (data, logs, wrk output) and print where it is
#   WRK, PYTHON        the programs to use (default wrk from PATH, /usr/bin/python3)
#
# Only 127.0.0.1 is ever contacted. Every process started here is stopped on exit, failure
# and Ctrl-C included, and every step is bounded in time. Exit status: 0 when every workload
# ran without errors; 2 when they all ran but some had socket errors or non-2xx answers (the
# table says which); 1 when something could not run (no binary, server did not start, seeding
# failed, wrk failed).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_name=bench-posts
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$repo_root/bench/lib.sh"

server=${OUTPOST_SERVER:-build/release/bin/outpost-server}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
workloads=${BENCH_WORKLOADS:-posts_list post_get post_create vote}
posts=${BENCH_POSTS:-10000}
post_id=${BENCH_POST_ID:-5001}
out=${BENCH_OUT:-}
wrk=${WRK:-wrk}
python=${PYTHON:-/usr/bin/python3}
wrk_timeout=10s

duration_s=$(seconds_of "$duration")
warmup_s=$(seconds_of "$warmup")
((duration_s >= 1 && duration_s <= 600)) || die "BENCH_DURATION must be from 1s to 10m"
((warmup_s <= 60)) || die "BENCH_WARMUP must be at most 60s"
if [[ ! $connections =~ ^[0-9]+$ ]] || ((connections < 1 || connections > 10000)); then
    die "BENCH_CONNECTIONS must be from 1 to 10000"
fi
if [[ ! $threads =~ ^[0-9]+$ ]] || ((threads < 1 || threads > connections)); then
    die "BENCH_THREADS must be from 1 to BENCH_CONNECTIONS"
fi
if [[ ! $posts =~ ^[0-9]+$ ]] || ((posts < 1 || posts > 1000000)); then
    die "BENCH_POSTS must be from 1 to 1000000"
fi
[[ $post_id =~ ^[1-9][0-9]*$ ]] || die "BENCH_POST_ID must be a post id"
for workload in $workloads; do
    case $workload in
        healthz | posts_list | post_get | post_create | vote) ;;
        *) die "unknown workload '$workload' (known: healthz posts_list post_get post_create vote)" ;;
    esac
done
command -v "$wrk" >/dev/null || die "wrk not found (Debian: apt-get install wrk)"
command -v curl >/dev/null || die "curl not found (Debian: apt-get install curl)"
[[ -x $python ]] || die "$python not found (Debian: apt-get install python3)"

if [[ $server != /* ]]; then
    server=$repo_root/$server
fi
if [[ ! -x $server ]]; then
    die "$server is missing or not executable; build it with 'cmake --preset release &&" \
        "cmake --build build/release --target outpost-server' (or make bench-posts)," \
        "or point OUTPOST_SERVER at it"
fi
if [[ -n $out ]]; then
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
fi

bench_init_work posts-bench
bench_traps
work=$bench_work

# --- Server -------------------------------------------------------------------------------------
port=$(free_port)
base=http://127.0.0.1:$port
# As in production: bcrypt cost 12, JSON access log on stdout (to a file). Tokens live 2 h so
# that the seeded ones outlast the run.
start_outpost "$server" "$port" "$work/data" "$work/outpost-access.log" "$work/outpost-stderr.log" \
    OUTPOST_LOG_FORMAT=json OUTPOST_BCRYPT_COST=12 OUTPOST_ACCESS_TOKEN_TTL=2h
if ! wait_ready outpost-server "$outpost_pid" "$port" /healthz 30; then
    tail -n 20 "$work/outpost-stderr.log" >&2 || true
    die "outpost-server did not start"
fi

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
echo "server: $server (pid $outpost_pid, $base)"
echo "load: wrk -t$threads -c$connections -d$duration --timeout $wrk_timeout --latency" \
    "(warm-up $warmup), keep-alive"

# --- Seed ---------------------------------------------------------------------------------------
seed_started=$SECONDS
if ! run_stoppable timeout 900 "$python" "$repo_root/bench/seed.py" --base "$base" \
    --posts "$posts" --workers 16 --env-out "$work/seed.env" \
    --vote-ids-out "$work/vote-ids.txt" >"$work/seed.token" 2>"$work/seed.log"; then
    cat "$work/seed.log" >&2
    tail -n 20 "$work/outpost-stderr.log" >&2 || true
    die "seeding failed (bench/seed.py; details above)"
fi
sed 's/^/  /' "$work/seed.log"
echo "seeded in $((SECONDS - seed_started))s; server RSS now $(proc_mib "$outpost_pid" VmRSS) MiB," \
    "peak $(proc_mib "$outpost_pid" VmHWM) MiB"
# BENCH_TOKEN, VOTER_TOKEN, VOTER_WARMUP_TOKEN (JWTs: no quotes or spaces in them).
# shellcheck source=/dev/null
source "$work/seed.env"
peak_overall=$(proc_mib "$outpost_pid" VmHWM)
echo

# --- Workloads ----------------------------------------------------------------------------------
# HTTP status of one request, for a check before a workload: "curl_status <method> <path>
# [<token> [<json body>]]".
curl_status() {
    local method=$1 path=$2 token=${3:-} body=${4:-}
    local args=(-s -o "$work/check.body" -w '%{http_code}' --max-time 10 -X "$method")
    [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
    [[ -n $body ]] && args+=(-H 'Content-Type: application/json' -d "$body")
    curl "${args[@]}" "$base$path" || true
}

# wrk with the given arguments and a time limit; its output in <file>.
wrk_run() {
    local seconds=$1 file=$2
    shift 2
    if ! run_stoppable timeout $((seconds + 30)) "$wrk" -t"$threads" -c"$connections" \
        -d"${seconds}s" --timeout "$wrk_timeout" "$@" >"$file" 2>&1; then
        cat "$file" >&2
        die "wrk failed: $wrk $*"
    fi
}

tsv=$work/outpost.tsv
printf 'workload\treq_per_s\tp50_ms\tp99_ms\trequests\tnon_2xx\tsocket_errors\tpeak_rss_mib\tend_rss_mib\n' >"$tsv"
failed=0
hwm_reset=1

for workload in $workloads; do
    url=$base
    warm_args=() args=()
    auth=(-H "Authorization: Bearer $BENCH_TOKEN")
    case $workload in
        healthz)
            url=$base/healthz expected=200
            code=$(curl_status GET /healthz) ;;
        posts_list)
            url="$base/v1/posts?limit=10" expected=200 args=("${auth[@]}") warm_args=("${auth[@]}")
            code=$(curl_status GET "/v1/posts?limit=10" "$BENCH_TOKEN") ;;
        post_get)
            url=$base/v1/posts/$post_id expected=200 args=("${auth[@]}") warm_args=("${auth[@]}")
            code=$(curl_status GET "/v1/posts/$post_id" "$BENCH_TOKEN") ;;
        post_create)
            url=$base/v1/posts expected=201
            args=(-s "$repo_root/bench/post-create.lua") warm_args=("${args[@]}")
            code=$(curl_status POST /v1/posts "$BENCH_TOKEN" '{"title":"check","content":"check"}') ;;
        vote)
            url=$base/v1/vote expected=201
            args=(-s "$repo_root/bench/vote.lua") warm_args=("${args[@]}")
            # Check that voting works: the warm-up voter votes and takes the vote back, which
            # leaves it with no votes, as vote.lua needs.
            first_id=$(head -n 1 "$work/vote-ids.txt")
            code=$(curl_status POST /v1/vote "$VOTER_WARMUP_TOKEN" "{\"post_id\":$first_id,\"dir\":1}")
            if [[ $code == 201 ]]; then
                code=$(curl_status POST /v1/vote "$VOTER_WARMUP_TOKEN" "{\"post_id\":$first_id,\"dir\":0}")
            fi ;;
    esac
    if [[ $code != "$expected" ]]; then
        echo "$bench_name: $workload: the check request answered HTTP $code, not $expected:" >&2
        head -c 500 "$work/check.body" >&2 2>/dev/null || true
        echo >&2
        die "$workload cannot be measured"
    fi

    # Peak RSS per workload: the peak so far is kept, then VmHWM restarts from the current RSS.
    now_peak=$(proc_mib "$outpost_pid" VmHWM)
    peak_overall=$(awk -v a="$peak_overall" -v b="$now_peak" 'BEGIN { print (b > a ? b : a) }')
    if ((hwm_reset)) && ! reset_peak_rss "$outpost_pid"; then
        hwm_reset=0
        say "cannot reset VmHWM (/proc/$outpost_pid/clear_refs): peak RSS is since the server started"
    fi

    # The TOKEN for the Lua scripts; the vote warm-up votes as another user (see vote.lua).
    if ((warmup_s > 0)); then
        warm_token=$BENCH_TOKEN
        [[ $workload == vote ]] && warm_token=$VOTER_WARMUP_TOKEN
        TOKEN=$warm_token VOTE_IDS=$work/vote-ids.txt VOTE_THREADS=$threads \
            wrk_run "$warmup_s" "$work/wrk-$workload.warmup" "${warm_args[@]}" "$url"
    fi
    token=$BENCH_TOKEN
    [[ $workload == vote ]] && token=$VOTER_TOKEN
    TOKEN=$token VOTE_IDS=$work/vote-ids.txt VOTE_THREADS=$threads \
        wrk_run "$duration_s" "$work/wrk-$workload.txt" --latency "${args[@]}" "$url"

    result=$work/wrk-$workload.txt
    rps=$(wrk_rps "$result")
    [[ -n $rps ]] || die "could not read wrk's output for $workload: $(cat "$result")"
    kill -0 "$outpost_pid" 2>/dev/null || die "outpost-server exited during $workload"
    non2xx=$(wrk_non2xx "$result")
    socket_errors=$(wrk_socket_errors "$result")
    ((non2xx == 0 && socket_errors == 0)) || failed=1
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$workload" "$rps" \
        "$(wrk_percentile_ms "$result" 50%)" "$(wrk_percentile_ms "$result" 99%)" \
        "$(wrk_requests "$result")" "$non2xx" "$socket_errors" \
        "$(proc_mib "$outpost_pid" VmHWM)" "$(proc_mib "$outpost_pid" VmRSS)" >>"$tsv"
done
final_peak=$(proc_mib "$outpost_pid" VmHWM)
peak_overall=$(awk -v a="$peak_overall" -v b="$final_peak" 'BEGIN { print (b > a ? b : a) }')

# --- Report -------------------------------------------------------------------------------------
awk -F'\t' 'NR == 1 {
        printf "%-12s %10s %9s %9s %9s %8s %14s %13s\n", "workload", "req/s", "p50 ms", "p99 ms",
            "non-2xx", "errors", "peak RSS MiB", "RSS end MiB"; next }
    { printf "%-12s %10s %9s %9s %9s %8s %14s %13s\n", $1, $2, $3, $4, $6, $7, $8, $9 }' "$tsv"
echo
if ((hwm_reset)); then
    echo "peak RSS: VmHWM during each workload (reset before its warm-up); over the whole run," \
        "seeding included: $peak_overall MiB"
else
    echo "peak RSS: VmHWM since the server started: $peak_overall MiB"
fi
echo "access log lines written: $(wc -l <"$work/outpost-access.log")"

if [[ -n $out ]]; then
    cp "$tsv" "$out/outpost.tsv"
    cp "$work"/wrk-*.txt "$work/seed.log" "$work/outpost-stderr.log" "$out/" 2>/dev/null || true
    # The access log can be large; its last lines are enough to look at.
    tail -n 1000 "$work/outpost-access.log" >"$out/outpost-access.tail.log" || true
    echo "results: $out/outpost.tsv"
fi
if ((failed)); then
    echo "$bench_name: some requests failed (non-2xx or errors column): the numbers are not comparable" >&2
    exit 2
fi
