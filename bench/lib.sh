# Shell functions shared by the benchmark scripts in bench/ (posts.sh, compare.sh). Sourced,
# not run. The caller sets `set -euo pipefail` and, before using the process helpers, calls
# bench_init_work (a private temporary directory, removed on exit) and bench_traps.
#
# Globals it uses: bench_name (prefix of messages), bench_work (the temporary directory),
# bench_pids (processes to stop on exit), BENCH_KEEP (1 keeps bench_work).
# shellcheck shell=bash

bench_name=${bench_name:-bench}
bench_work=""
bench_pids=()

die() {
    echo "$bench_name: $*" >&2
    exit 1
}

say() { echo "$bench_name: $*" >&2; }

# Seconds in a wrk duration ("10s", "2m", "1h", "30"), refusing anything unbounded or odd.
seconds_of() {
    local value=$1
    [[ $value =~ ^([0-9]+)([smh]?)$ ]] || die "not a duration: '$value' (use e.g. 10s or 2m)"
    local n=$((10#${BASH_REMATCH[1]}))
    case ${BASH_REMATCH[2]} in
        m) n=$((n * 60)) ;;
        h) n=$((n * 3600)) ;;
    esac
    echo "$n"
}

# A private temporary directory in bench_work; removed on exit unless BENCH_KEEP=1.
bench_init_work() {
    bench_work=$(mktemp -d "${TMPDIR:-/tmp}/outpost-$1.XXXXXX")
}

# Stops every process in bench_pids (TERM, up to 2 s, then KILL), removes bench_work.
bench_cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid alive
    for pid in "${bench_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        alive=0
        for pid in "${bench_pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        ((alive)) || break
        sleep 0.2
    done
    for pid in "${bench_pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [[ -n $bench_work && -d $bench_work ]]; then
        if [[ ${BENCH_KEEP:-0} == 1 ]]; then
            echo "$bench_name: kept $bench_work" >&2
        else
            rm -rf "$bench_work"
        fi
    fi
    exit "$status"
}

bench_traps() {
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# bench/connclient.cpp (the C10k and fan-out client) compiled to $bench_work/connclient.
build_connclient() {
    say "compiling bench/connclient.cpp"
    c++ -O2 -std=c++20 -o "$bench_work/connclient" "$(dirname "${BASH_SOURCE[0]}")/connclient.cpp"
}

# A port on 127.0.0.1 that nothing listens on now, below Linux's ephemeral range (32768 and
# up by default): a client socket of an earlier benchmark (C10k opens 10,000) may still hold
# an ephemeral port in TIME_WAIT, and a listener cannot bind it.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 12000))
        if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
            echo "$port"
            return 0
        fi
        exec 3<&- 3>&-
    done
    die "no free port found on 127.0.0.1"
}

# First line of the response to GET <path>, e.g. "HTTP/1.1 200 OK"; empty if no answer.
status_line() {
    local port=$1 path=$2 line=""
    # The braces keep the redirection of stderr from becoming permanent, as exec's would.
    if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
        IFS= read -r -t 2 line <&3 || true
        exec 3<&- 3>&-
    fi
    echo "${line%$'\r'}"
}

# Waits until GET <path> answers 200, while <pid> lives; at most <seconds>.
wait_ready() {
    local name=$1 pid=$2 port=$3 path=$4 seconds=$5
    local deadline=$((SECONDS + seconds))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 1
        [[ $(status_line "$port" "$path") == "HTTP/1."?" 200"* ]] && return 0
        sleep 0.1
    done
    echo "$bench_name: $name did not answer 200 on http://127.0.0.1:$port$path within ${seconds}s" >&2
    return 1
}

# Runs a command in the background and waits for it: unlike a foreground command, `wait`
# lets the INT/TERM traps run at once, and bench_cleanup stops the command too. Returns the
# command's exit status.
run_stoppable() {
    "$@" &
    local pid=$!
    bench_pids+=("$pid")
    local status=0
    wait "$pid" || status=$?
    return "$status"
}

# Starts outpost-server in the background with a clean environment: no OUTPOST_* from this
# shell, no .env (it starts in an empty directory), the given data directory and a throwaway
# JWT key, plus the VAR=value settings given after the log file names. Sets outpost_pid.
#   start_outpost <server> <port> <data dir> <stdout file> <stderr file> [VAR=value...]
start_outpost() {
    local server=$1 port=$2 data=$3 stdout=$4 stderr=$5
    shift 5
    mkdir -p "$data" "$bench_work/cwd"
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$bench_work/jwt.secret"
    (
        cd "$bench_work/cwd" || exit 1
        while IFS= read -r variable; do
            unset "$variable"
        done < <(compgen -e | grep '^OUTPOST_' || true)
        export OUTPOST_JWT_SECRET_FILE="$bench_work/jwt.secret"
        local setting
        for setting in "$@"; do
            export "${setting?}"
        done
        exec "$server" serve --listen "127.0.0.1:$port" --data-dir "$data"
    ) >"$stdout" 2>"$stderr" &
    outpost_pid=$!
    bench_pids+=("$outpost_pid")
}

# A "VmHWM" or "VmRSS" of /proc/<pid>/status in MiB with one decimal; empty if unreadable.
proc_mib() {
    awk -v key="$2:" '$1 == key { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || true
}

# Resets the peak resident set (VmHWM) of <pid> to its current RSS (Linux >= 4.0); returns
# non-zero if that is not allowed here.
reset_peak_rss() {
    { echo 5 >"/proc/$1/clear_refs"; } 2>/dev/null
}

# wrk's latency ("812.34us", "12.5ms", "1.02s", "2.00m") in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.0f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.0f", v * 1000 }
        else printf "%s", v }'
}

# Numbers from one wrk --latency output file.
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_requests() { awk '/ requests in / { print $1 }' "$1"; }
wrk_percentile_ms() { to_ms "$(awk -v p="$2" '$1 == p { print $2 }' "$1")"; }
wrk_non2xx() {
    local n
    n=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$1")
    echo "${n:-0}"
}
# Sum of connect, read, write and timeout errors ("Socket errors: connect 0, read 1, ...").
wrk_socket_errors() {
    awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10; found = 1 }
         END { if (!found) print 0 }' "$1"
}
