#!/usr/bin/env bash
# C10k: outpost-server holding 10,000 idle keep-alive connections while wrk loads 64 others.
# Everything on 127.0.0.1. See bench/README.md ("Many connections").
#
# Settings (environment, all optional):
#   OUTPOST_SERVER     the server binary (default build/release/bin/outpost-server)
#   BENCH_IDLE         idle keep-alive connections to hold (default 10000)
#   BENCH_PATH         what wrk requests (default /healthz)
#   BENCH_DURATION     each measured wrk run (default 10s; at most 10m)
#   BENCH_WARMUP       unmeasured wrk run before each measured one (default 2s; 0 skips it)
#   BENCH_CONNECTIONS  wrk -c (default 64)     BENCH_THREADS  wrk -t (default 2)
#   BENCH_OUT          a directory for c10k.tsv, the wrk output and the server's logs
#   BENCH_KEEP=1       keep the temporary directory
#
# Two wrk runs on one server: first with no idle connections (the baseline), then with
# BENCH_IDLE idle ones held open by bench/connclient (compiled here with c++). After the loaded
# run the client sends one more request on every idle connection: all must still be served.
# Exit 0 when everything ran and every idle connection survived, 2 when some did not or wrk
# saw errors, 1 when something could not run.
set -euo pipefail

bench_name=c10k
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

server=${OUTPOST_SERVER:-build/release/bin/outpost-server}
idle=${BENCH_IDLE:-10000}
path=${BENCH_PATH:-/healthz}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
wrk=${WRK:-wrk}

if ! [[ $idle =~ ^[0-9]+$ ]] || ((idle < 1 || idle > 100000)); then
    die "BENCH_IDLE must be 1-100000"
fi
duration_s=$(seconds_of "$duration")
((duration_s >= 1 && duration_s <= 600)) || die "BENCH_DURATION must be 1s-10m"
warmup_s=$(seconds_of "$warmup")
[[ -x $server ]] || die "no server binary at $server (make bench-c10k builds it)"
server=$(realpath "$server")
command -v "$wrk" >/dev/null || die "wrk not found (Debian: apt-get install wrk)"
command -v c++ >/dev/null || die "c++ not found (Debian: apt-get install build-essential)"

# Both the server (which raises its own soft limit to the hard one) and the client need a
# descriptor per connection, plus some for files and the database.
hard=$(ulimit -Hn)
ulimit -n "$hard"
soft=$(ulimit -Sn)
need=$((idle + connections + 256))
if [[ $soft != unlimited ]] && ((soft < need)); then
    die "RLIMIT_NOFILE is $soft (hard $hard): $idle idle connections need about $need"
fi

bench_init_work c10k
bench_traps
out=${BENCH_OUT:-$bench_work/out}
mkdir -p "$out"

build_connclient

port=$(free_port)
# The connection cap must leave room for the idle and the loaded connections; the idle
# timeout must outlast the run.
start_outpost "$server" "$port" "$bench_work/data" "$out/outpost.log" "$out/outpost.err" \
    OUTPOST_LOG_FORMAT=json OUTPOST_MAX_CONNECTIONS=$((idle + connections + 64)) \
    OUTPOST_IDLE_TIMEOUT=900
wait_ready outpost-server "$outpost_pid" "$port" /healthz 30 || die "the server did not start: $(tail -5 "$out/outpost.err")"
server_limit=$(awk '/^Max open files/ { print $4 " (hard " $5 ")" }' "/proc/$outpost_pid/limits")

run_wrk() {
    local file=$1
    if ((warmup_s > 0)); then
        run_stoppable timeout $((warmup_s + 30)) "$wrk" -t"$threads" -c"$connections" \
            -d"$warmup" "http://127.0.0.1:$port$path" >/dev/null
    fi
    reset_peak_rss "$outpost_pid" || true
    run_stoppable timeout $((duration_s + 30)) "$wrk" -t"$threads" -c"$connections" \
        -d"$duration" --timeout 10s --latency "http://127.0.0.1:$port$path" >"$file"
}

say "baseline: wrk -t$threads -c$connections -d$duration $path, no idle connections"
rss_base=$(proc_mib "$outpost_pid" VmRSS)
run_wrk "$out/wrk-baseline.txt"
rss_base_peak=$(proc_mib "$outpost_pid" VmHWM)

say "opening $idle idle keep-alive connections"
mkfifo "$bench_work/control"
"$bench_work/connclient" hold --port "$port" --connections "$idle" --pid "$outpost_pid" \
    --seconds $((duration_s + warmup_s + 300)) --timeout 120 \
    <"$bench_work/control" >"$out/connclient.txt" 2>"$out/connclient.err" &
client_pid=$!
bench_pids+=("$client_pid")
exec 4>"$bench_work/control" # the client holds until this closes
deadline=$((SECONDS + 150))
until grep -q '^ready ' "$out/connclient.txt" 2>/dev/null; do
    kill -0 "$client_pid" 2>/dev/null || die "the client stopped: $(cat "$out/connclient.err")"
    ((SECONDS < deadline)) || die "the client did not open its connections within 150 s"
    sleep 0.2
done
ready=$(grep '^ready ' "$out/connclient.txt")
say "$ready"
field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }
opened=$(field "$ready" open)
rss_idle=$(field "$ready" rss_mib)
fds=$(field "$ready" fds)

say "loaded: the same wrk run beside $opened idle connections"
run_wrk "$out/wrk-c10k.txt"
rss_c10k_peak=$(proc_mib "$outpost_pid" VmHWM)
exec 4>&- # tell the client to check its connections
status=0
wait "$client_pid" || status=$?
done_line=$(grep '^done ' "$out/connclient.txt" || true)
alive=$(field "$done_line" alive)
closed_early=$(field "$done_line" closed_early)

result=0
for f in baseline c10k; do
    errors=$(wrk_socket_errors "$out/wrk-$f.txt")
    non2xx=$(wrk_non2xx "$out/wrk-$f.txt")
    ((errors == 0 && non2xx == 0)) || { say "wrk ($f) saw $errors socket errors, $non2xx non-2xx"; result=2; }
done
((status == 0)) || result=2

b_rps=$(wrk_rps "$out/wrk-baseline.txt")
c_rps=$(wrk_rps "$out/wrk-c10k.txt")
{
    echo -e "case\treq_per_s\tp50_ms\tp99_ms\tidle_open\tidle_alive_after\trss_mib\tpeak_rss_mib"
    echo -e "baseline\t$b_rps\t$(wrk_percentile_ms "$out/wrk-baseline.txt" 50%)\t$(wrk_percentile_ms "$out/wrk-baseline.txt" 99%)\t0\t0\t$rss_base\t$rss_base_peak"
    echo -e "c10k\t$c_rps\t$(wrk_percentile_ms "$out/wrk-c10k.txt" 50%)\t$(wrk_percentile_ms "$out/wrk-c10k.txt" 99%)\t$opened\t${alive:-0}\t$rss_idle\t$rss_c10k_peak"
} >"$out/c10k.tsv"

echo "C10k: $idle idle keep-alive connections + wrk -t$threads -c$connections -d$duration $path"
echo "RLIMIT_NOFILE: shell $soft (hard $hard); server $server_limit; server descriptors open with the idle connections: $fds"
column -t -s $'\t' "$out/c10k.tsv"
awk -v b="$b_rps" -v c="$c_rps" 'BEGIN { if (b > 0) printf "loaded / baseline req/s: %.2f\n", c / b }'
echo "idle connections: $opened opened, ${closed_early:-?} closed by the server while idle, ${alive:-0} answered a request after the load"
exit "$result"
