#!/usr/bin/env bash
# make reproducible-check: builds the packages twice from the same tree with the same
# SOURCE_DATE_EPOCH (the commit's time) and git revision, both fixed before the first build, with
# ccache off so that the compiler really runs twice, and compares every file byte for byte. Fails
# on any difference.
#
#   reproducible-check.sh DIR
set -euo pipefail
# shellcheck source=packaging/scripts/common.sh
. "$(dirname "$0")/common.sh"

dir=${1:?usage: reproducible-check.sh DIR}
rm -rf "$dir"
mkdir -p "$dir"
for run in 1 2; do
    echo "== build $run of 2 (log: $dir/build$run.log)"
    if ! CCACHE_DISABLE=1 bash "$(dirname "$0")/build-packages.sh" "$dir/out$run" "$dir/work" \
        >"$dir/build$run.log" 2>&1; then
        tail -40 "$dir/build$run.log"
        die "build $run failed"
    fi
done

different=0
for first in "$dir"/out1/*; do
    name=$(basename "$first")
    if cmp -s "$first" "$dir/out2/$name"; then
        echo "identical: $name ($(sha256sum <"$first" | cut -c1-16)...)"
    else
        echo "DIFFERENT: $name"
        different=1
        if command -v diffoscope >/dev/null; then
            diffoscope "$first" "$dir/out2/$name" | head -60 || true
        fi
    fi
done
[ $different -eq 0 ] || die "the two builds differ"
echo "== reproducible: both builds gave byte-identical packages"
