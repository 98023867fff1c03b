#!/usr/bin/env bash
# Files benchmark: upload and download throughput of 1 MiB (single PUT) and 100 MiB (chunked
# upload) files, and the server's RSS growth while a 1 GiB file goes up in parts and comes
# down as one streamed GET, on the local store and on S3 (s3rver from tools/node_modules).
# See bench/README.md.
#
#   bench/files.sh                    (or: make bench-files; make bench runs it too)
#
# Environment:
#   OUTPOST_SERVER   the binary (default build/release/bin/outpost-server)
#   BENCH_STORES     "local s3" (default), or one of them
#   BENCH_BIG_MIB    size of the RSS run in MiB (default 1024; 0 skips it)
#   BENCH_OUT        a directory for files.tsv and the server logs; default: none
#   BENCH_KEEP=1     keep the temporary directory
#   PYTHON, NODE     the programs to use (default /usr/bin/python3, node from PATH)
#   NGINX            nginx for the download reference (default /usr/sbin/nginx; skipped if absent)
#
# References in the same run (store "ref"): a copy of the same bytes with one fsync, nginx
# serving the same files, curl PUTting the same objects to the same s3rver.
#
# Only 127.0.0.1 is contacted. Every process started here is stopped on exit, failure and
# Ctrl-C included; each client run is bounded (timeout 1200 s). Exit status: 0 when every run
# passed and the 1 GiB runs grew the server's RSS by less than 64 MiB; 2 when a run passed
# but grew it more; 1 when something could not run.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_name=bench-files
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$repo_root/bench/lib.sh"

server=$(realpath -m "${OUTPOST_SERVER:-build/release/bin/outpost-server}")
stores=${BENCH_STORES:-local s3}
big_mib=${BENCH_BIG_MIB:-1024}
out=${BENCH_OUT:-}
python=${PYTHON:-/usr/bin/python3}
node=${NODE:-$(command -v node || true)}
nginx=${NGINX:-/usr/sbin/nginx}
limit_mib=64
max_body_mib=128

[[ -x $server ]] || die "$server not found (make bench builds it)"
[[ -x $python ]] || die "$python not found (Debian: apt-get install python3)"
{ [[ $big_mib =~ ^[0-9]+$ ]] && ((big_mib <= 4096)); } || die "BENCH_BIG_MIB must be from 0 to 4096"

bench_init_work files
bench_traps
results="$bench_work/files.tsv"
printf 'store\tworkload\tsize_mib\truns\tmib_per_s\trss_growth_mib\n' >"$results"

# nginx serves bench_work/static, where files.py writes the files it uploads.
nginx_port=0
if [[ -x $nginx ]]; then
    nginx_port=$(free_port)
    mkdir -p "$bench_work/static"
    # nginx's workers may run as another user (nobody, www-data): let them reach the files.
    chmod 0711 "$bench_work"
    chmod 0755 "$bench_work/static"
    sed -e "s|@WORK_DIR@|$bench_work|g" -e "s|@PORT@|$nginx_port|g" \
        "$repo_root/bench/nginx-files.conf.in" >"$bench_work/nginx.conf"
    "$nginx" -e "$bench_work/nginx-error.log" -p "$bench_work" -c "$bench_work/nginx.conf" \
        -g 'daemon off;' >"$bench_work/nginx.out" 2>&1 &
    bench_pids+=("$!")
    for _ in $(seq 1 50); do
        [[ -n $(status_line "$nginx_port" /) ]] && break
        sleep 0.1
    done
else
    say "no nginx at $nginx: the download reference is skipped"
fi

for store in $stores; do
    settings=("OUTPOST_MAX_BODY_BYTES=${max_body_mib}MiB" OUTPOST_LOG_FORMAT=text OUTPOST_THREADS=2)
    references=(--nginx-port "$nginx_port")
    if [[ $store == s3 ]]; then
        s3rver="$repo_root/tools/node_modules/s3rver/bin/s3rver.js"
        [[ -n $node && -f $s3rver ]] || die "node or s3rver missing (make deps)"
        s3_port=$(free_port)
        mkdir -p "$bench_work/s3"
        "$node" "$s3rver" --directory "$bench_work/s3" --address 127.0.0.1 --port "$s3_port" \
            --no-vhost-buckets --configure-bucket outpost-bench \
            >"$bench_work/s3rver.log" 2>&1 &
        s3_pid=$!
        bench_pids+=("$s3_pid")
        for _ in $(seq 1 100); do
            grep -q "listening" "$bench_work/s3rver.log" 2>/dev/null && break
            sleep 0.1
        done
        settings+=(OUTPOST_FILE_STORE_URL=s3://outpost-bench/files
            OUTPOST_S3_ENDPOINT="http://127.0.0.1:$s3_port" OUTPOST_S3_ACCESS_KEY_ID=S3RVER
            OUTPOST_S3_SECRET_ACCESS_KEY=S3RVER)
        references=(--s3-port "$s3_port")
    elif [[ $store != local ]]; then
        die "unknown store '$store' (local or s3)"
    fi
    port=$(free_port)
    start_outpost "$server" "$port" "$bench_work/data-$store" "$bench_work/outpost-$store.out" \
        "$bench_work/outpost-$store.err" "${settings[@]}"
    wait_ready outpost-server "$outpost_pid" "$port" /readyz 30 || die "the server did not start"
    say "$store store: running (1 MiB x20, 100 MiB x3 whole and chunked, then ${big_mib} MiB once)"
    run_stoppable timeout 1200 "$python" "$repo_root/bench/files.py" --port "$port" \
        --pid "$outpost_pid" --store "$store" --work "$bench_work" --big-mib "$big_mib" \
        --max-body $((max_body_mib * 1024 * 1024)) "${references[@]}" >>"$results" ||
        { column -t -s $'\t' "$results" >&2; die "the $store run failed"; }
    kill -TERM "$outpost_pid" 2>/dev/null || true
    wait "$outpost_pid" 2>/dev/null || true
    if [[ $store == s3 ]]; then
        kill -TERM "$s3_pid" 2>/dev/null || true
    fi
done

column -t -s $'\t' "$results"
if [[ -n $out ]]; then
    mkdir -p "$out"
    cp "$results" "$bench_work"/outpost-*.err "$out"/
fi
over=$(awk -F'\t' -v limit="$limit_mib" 'NR > 1 && $2 ~ /peak_rss/ && $6 >= limit { n++ }
    END { print n + 0 }' "$results")
if ((over > 0)); then
    say "$over run(s) grew the server's RSS by ${limit_mib} MiB or more"
    exit 2
fi
