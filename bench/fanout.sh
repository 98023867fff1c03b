#!/usr/bin/env bash
# Event fan-out: 1,000 /v1/events WebSocket subscribers, and the time from a post's 201 to
# each subscriber reading its post.created. Everything on 127.0.0.1. See bench/README.md
# ("Event fan-out").
#
# Settings (environment, all optional):
#   OUTPOST_SERVER     the server binary (default build/release/bin/outpost-server)
#   BENCH_SUBSCRIBERS  WebSocket subscribers (default 1000)
#   BENCH_ROUNDS       posts created one after the other, each awaited by every subscriber
#                      (default 50)
#   BENCH_OUT          a directory for fanout.txt and the server's logs
#   BENCH_KEEP=1       keep the temporary directory
#
# The server is seeded through the API (bench/seed.py: the bench users, 10 posts); every
# subscriber signs in with the bench user's token (an ordinary user; published posts reach
# every signed-in user). bench/connclient (compiled here with c++) holds the subscribers and
# posts from one epoll loop; it fails if any subscriber misses an event or gets a wrong id.
# Exit 0 when the run completed, 1 otherwise.
set -euo pipefail

bench_name=fanout
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

server=${OUTPOST_SERVER:-build/release/bin/outpost-server}
subscribers=${BENCH_SUBSCRIBERS:-1000}
rounds=${BENCH_ROUNDS:-50}
python=/usr/bin/python3

if ! [[ $subscribers =~ ^[0-9]+$ ]] || ((subscribers < 1 || subscribers > 20000)); then
    die "BENCH_SUBSCRIBERS must be 1-20000"
fi
if ! [[ $rounds =~ ^[0-9]+$ ]] || ((rounds < 1 || rounds > 1000)); then
    die "BENCH_ROUNDS must be 1-1000"
fi
[[ -x $server ]] || die "no server binary at $server (make bench-fanout builds it)"
server=$(realpath "$server")
[[ -x $python ]] || die "$python not found (Debian: apt-get install python3)"
command -v c++ >/dev/null || die "c++ not found (Debian: apt-get install build-essential)"
ulimit -n "$(ulimit -Hn)"
(($(ulimit -Sn) > subscribers + 256)) || die "RLIMIT_NOFILE $(ulimit -Sn) is too low for $subscribers subscribers"

bench_init_work fanout
bench_traps
out=${BENCH_OUT:-$bench_work/out}
mkdir -p "$out"

build_connclient

port=$(free_port)
start_outpost "$server" "$port" "$bench_work/data" "$out/outpost.log" "$out/outpost.err" \
    OUTPOST_LOG_FORMAT=json OUTPOST_BCRYPT_COST=12 OUTPOST_ACCESS_TOKEN_TTL=2h \
    OUTPOST_MAX_CONNECTIONS=$((subscribers + 256))
wait_ready outpost-server "$outpost_pid" "$port" /healthz 30 || die "the server did not start: $(tail -5 "$out/outpost.err")"

token=$(run_stoppable timeout 300 "$python" "$here/seed.py" --base "http://127.0.0.1:$port" \
    --posts 10 2>"$out/seed.err") || die "seeding failed: $(tail -3 "$out/seed.err")"

say "$subscribers subscribers, $rounds posts"
status=0
run_stoppable timeout 900 "$bench_work/connclient" fanout --port "$port" \
    --subscribers "$subscribers" --posts "$rounds" --token "$token" --pid "$outpost_pid" \
    --timeout 60 >"$out/fanout.txt" 2>"$out/connclient.err" || status=$?
if ((status != 0)); then
    cat "$out/connclient.err" >&2
    die "the client failed (status $status)"
fi

echo "Event fan-out: $subscribers /v1/events subscribers, $rounds posts one after the other"
grep -v '^post ' "$out/fanout.txt"
