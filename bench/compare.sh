#!/usr/bin/env bash
# Outpost's posts API against the FastAPI anchor (the reference FastAPI posts service, a folder
# outside this repository that FASTAPI_ANCHOR names), on this machine, in one invocation: the
# anchor's bench.sh (uvicorn with 1 and 2 workers; posts_list, post_get, post_create), then
# bench/posts.sh, then both side by side with the ratios and the targets. See bench/README.md.
#
#   FASTAPI_ANCHOR=/path/to/fastapi-ref bench/compare.sh
#       (or: make bench-compare FASTAPI_ANCHOR=..., which installs the anchor's Debian
#       packages and builds the Release server first)
#
# Environment:
#   OUTPOST_SERVER     Release binary (default build/release/bin/outpost-server)
#   FASTAPI_ANCHOR     the anchor's folder, holding its bench.sh (required; nothing outside the
#                      repository is read unless named here); only read: output goes to BENCH_OUT
#   BENCH_DURATION     each measured run, both sides (default 10s; at most 10m)
#   BENCH_WARMUP       warm-up before each, both sides (default 2s)
#   BENCH_CONNECTIONS  wrk -c (default 64)     BENCH_THREADS  wrk -t (default 2)
#   BENCH_OUT          where the results go (default build/bench/compare-<UTC time>):
#                      fastapi/ (the anchor's results.tsv, results.md, wrk output, logs),
#                      outpost/ (outpost.tsv, wrk output, logs), compare.txt (the report)
#   The anchor's own knobs pass through: QUIET_MAX_PCT, QUIET_TRIES, OTHER_MAX_S,
#   MAX_ATTEMPTS (it waits for a quiet machine and measures a disturbed case again).
#
# Only 127.0.0.1 is ever contacted; both scripts stop what they start. Prints verdicts for the
# targets but exits 0 whenever both runs completed (the numbers are the product); 1 if a run
# could not complete.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_name=bench-compare
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$repo_root/bench/lib.sh"

anchor=${FASTAPI_ANCHOR:-}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
python=/usr/bin/python3 # Debian's: the anchor needs its python3-* packages
out=${BENCH_OUT:-$repo_root/build/bench/compare-$(date -u +%Y%m%dT%H%M%SZ)}

duration_s=$(seconds_of "$duration")
warmup_s=$(seconds_of "$warmup")
((duration_s >= 1 && duration_s <= 600)) || die "BENCH_DURATION must be from 1s to 10m"
((warmup_s <= 60)) || die "BENCH_WARMUP must be at most 60s"
[[ -n $anchor ]] || die "set FASTAPI_ANCHOR to the FastAPI anchor's folder (the one holding its bench.sh), e.g. make bench-compare FASTAPI_ANCHOR=/path/to/fastapi-ref"
[[ -x $anchor/bench.sh ]] || die "FASTAPI_ANCHOR=$anchor holds no executable bench.sh: it must name the FastAPI anchor's folder"
anchor=$(cd "$anchor" && pwd)
[[ -x $python ]] || die "$python not found (Debian: apt-get install python3)"
if ! "$python" -c 'import fastapi, uvicorn, sqlalchemy, jose, passlib, bcrypt, multipart, email_validator' \
    2>/dev/null; then
    die "the anchor's Python packages are missing: make bench-compare installs them" \
        "(python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-sqlalchemy" \
        "python3-jose python3-passlib python3-bcrypt python3-multipart python3-email-validator)"
fi
mkdir -p "$out/fastapi" "$out/outpost"
out=$(cd "$out" && pwd)

# The anchor's bench.sh may wait for a quiet machine (QUIET_TRIES s) and measure a disturbed
# case up to MAX_ATTEMPTS times: its time limit allows for all of that, 6 cases.
quiet_tries=${QUIET_TRIES:-120}
max_attempts=${MAX_ATTEMPTS:-3}
[[ $quiet_tries =~ ^[0-9]+$ && $max_attempts =~ ^[0-9]+$ ]] ||
    die "QUIET_TRIES and MAX_ATTEMPTS must be integers"
anchor_limit=$((6 * max_attempts * (quiet_tries + warmup_s + duration_s + 60) + 300))

bench_traps

echo "== FastAPI anchor: $anchor (uvicorn 1 and 2 workers; time limit ${anchor_limit}s)"
# In a subshell of its own (run_stoppable): the anchor's folder is the working directory,
# and no __pycache__ is written into it, since it is only read.
run_anchor() {
    cd "$anchor" || exit 1
    export PYTHONDONTWRITEBYTECODE=1 PY=$python OUT=$out/fastapi RUNS=1 WORKERS="1 2" \
        WORKLOADS="posts_list post_get post_create" CEILING=0 DURATION=$duration WARMUP=$warmup \
        THREADS=$threads CONNS=$connections
    exec timeout "$anchor_limit" ./bench.sh
}
anchor_status=0
run_stoppable run_anchor > >(tee "$out/fastapi/bench.log") 2>&1 || anchor_status=$?
if ((anchor_status != 0)); then
    say "the anchor's bench.sh failed (exit $anchor_status); see $out/fastapi/bench.log"
fi
echo

echo "== Outpost: bench/posts.sh"
outpost_status=0
BENCH_OUT=$out/outpost BENCH_DURATION=$duration BENCH_WARMUP=$warmup \
    BENCH_CONNECTIONS=$connections BENCH_THREADS=$threads \
    BENCH_WORKLOADS="posts_list post_get post_create vote" \
    run_stoppable "$repo_root/bench/posts.sh" || outpost_status=$?
# 2: every workload ran, some with errors or non-2xx answers; the report shows them.
if ((outpost_status != 0 && outpost_status != 2)); then
    say "bench/posts.sh failed (exit $outpost_status)"
fi
echo

report_status=0
"$python" - "$out/fastapi/results.tsv" "$out/outpost/outpost.tsv" <<'EOF' | tee "$out/compare.txt" || report_status=$?
import csv
import os
import sys

anchor_path, outpost_path = sys.argv[1:3]
LABEL = {"posts_list": "GET /v1/posts?limit=10", "post_get": "GET /v1/posts/{id}",
         "post_create": "POST /v1/posts", "vote": "POST /v1/vote"}
# workload: (FastAPI workload it is compared with, minimum Outpost/FastAPI req/s ratio)
TARGETS = {"posts_list": ("posts_list", 50), "post_get": ("post_get", 50),
           "post_create": ("post_create", 30), "vote": ("post_create", 30)}
P99_MAX_MS = 20.0
RSS_END_MAX_MIB = 60.0


def read(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


fastapi = {}  # workload -> {workers: row}
for r in read(anchor_path):
    if r.get("server") == "uvicorn":
        fastapi.setdefault(r["workload"], {})[r["workers"]] = r
outpost = {r["workload"]: r for r in read(outpost_path)}

complete = True
print("Outpost / FastAPI, req/s against FastAPI's best of 1 and 2 uvicorn workers")
print()
head = ("workload", "FastAPI 1w", "FastAPI 2w", "best p99 ms", "Outpost", "p99 ms",
        "ratio", "target", "ratio ok", "p99 ok")
fmt = "{:<24} {:>10} {:>10} {:>11} {:>10} {:>8} {:>8} {:>6} {:>8} {:>6}"
print(fmt.format(*head))
verdicts = []
for wl, (ref, target) in TARGETS.items():
    rows = fastapi.get(ref, {})
    best = max(rows.values(), key=lambda r: num(r["req_per_s"]) or 0, default=None)
    o = outpost.get(wl)
    if best is None or o is None:
        complete = False
        print(fmt.format(LABEL[wl], *["-"] * 9) + "  missing: "
              + ("FastAPI " if best is None else "") + ("Outpost" if o is None else ""))
        continue
    rps_o, p99_o = num(o["req_per_s"]), num(o["p99_ms"])
    ratio = rps_o / num(best["req_per_s"])
    ratio_ok = ratio >= target
    p99_ok = p99_o is not None and p99_o < P99_MAX_MS
    verdicts += [ratio_ok, p99_ok]
    cell = lambda w: (f"{num(rows[w]['req_per_s']):,.0f}" if w in rows else "-")
    print(fmt.format(LABEL[wl] + (" *" if wl == "vote" else ""), cell("1"), cell("2"),
                     f"{num(best['p99_ms']):.1f}", f"{rps_o:,.0f}", f"{p99_o:.2f}",
                     f"{ratio:.1f}x", f">={target}x", "PASS" if ratio_ok else "MISS",
                     "PASS" if p99_ok else "MISS"))
print()
print("* vote has no FastAPI counterpart in the anchor: it is compared with FastAPI's "
      "POST /v1/posts (also a write)")

errors = []
for wl, rows in sorted(fastapi.items()):
    for w, r in sorted(rows.items()):
        if r.get("non_2xx", "0") not in ("", "0") or r.get("socket_errors", "none") not in ("", "none", "0"):
            errors.append(f"FastAPI {w}w {wl}: non-2xx {r['non_2xx']}, socket errors {r['socket_errors']}")
for wl, r in outpost.items():
    if r["non_2xx"] != "0" or r["socket_errors"] != "0":
        errors.append(f"Outpost {wl}: non-2xx {r['non_2xx']}, socket errors {r['socket_errors']}")
        verdicts.append(False)

print()
if outpost:
    last = list(outpost.values())[-1]
    rss_end = num(last["end_rss_mib"])
    rss_ok = rss_end is not None and rss_end < RSS_END_MAX_MIB
    verdicts.append(rss_ok)
    print(f"Outpost RSS at the end (after {last['workload']}): {rss_end:.1f} MiB, target < "
          f"{RSS_END_MAX_MIB:.0f} MiB: {'PASS' if rss_ok else 'MISS'}")
    print("Outpost peak RSS per workload (MiB): " + ", ".join(
        f"{wl} {r['peak_rss_mib']}" for wl, r in outpost.items()))
fastapi_rss = [f"{w}w {wl} {r['peak_rss_mib']}" for wl, rows in fastapi.items()
               for w, r in sorted(rows.items())]
if fastapi_rss:
    print("FastAPI peak RSS per case (MiB, process tree): " + ", ".join(fastapi_rss))
print(f"targets: list and get >= 50x, create and vote >= 30x FastAPI's best req/s; every "
      f"Outpost p99 < {P99_MAX_MS:.0f} ms; Outpost RSS at the end < {RSS_END_MAX_MIB:.0f} MiB")
if errors:
    print("requests that failed (those numbers are not comparable):")
    for e in errors:
        print("  " + e)
print()
if not complete or not outpost:
    print("verdict: INCOMPLETE (a side is missing; see above)")
    sys.exit(1)
print(f"verdict: {sum(verdicts)} of {len(verdicts)} checks pass"
      + ("" if all(verdicts) else " (MISS above)"))
EOF
echo "results: $out"
if ((anchor_status != 0 || (outpost_status != 0 && outpost_status != 2) || report_status != 0)); then
    exit 1
fi
