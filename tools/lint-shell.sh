#!/usr/bin/env bash
# Run shellcheck on the repository's shell scripts: lint-shell.sh [FILE...]
#
# Without arguments: every tracked *.sh file and every tracked file without that extension
# whose first line is a sh/bash shebang (.ci/run and the like). With arguments (the
# pre-commit hook): those files. Files without a shebang are the sourced helpers
# (bench/lib.sh, packaging/scripts/common.sh); they are bash, so they are checked as bash.
# Every severity counts, notes included; a disable needs a comment beside it saying why.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v shellcheck >/dev/null || {
    echo "shellcheck not found (Debian: apt-get install shellcheck; make lint installs it)" >&2
    exit 2
}

is_shell() {
    [[ $1 == *.sh ]] && return 0
    local first
    IFS= read -r first <"$1" 2>/dev/null || return 1
    [[ $first =~ ^#!(/usr/bin/env\ |/bin/|/usr/bin/)(ba)?sh([[:space:]]|$) ]]
}

files=()
if (($# > 0)); then
    for f in "$@"; do
        if [[ -f $f ]] && is_shell "$f"; then files+=("$f"); fi
    done
else
    while IFS= read -r -d '' f; do
        # Symlinks and files deleted in the work tree are not scripts to check.
        if [[ -f $f && ! -L $f ]] && is_shell "$f"; then files+=("$f"); fi
    done < <(git ls-files -z)
fi
((${#files[@]} > 0)) || { echo "lint-shell: no shell scripts given"; exit 0; }

with_shebang=() without=()
for f in "${files[@]}"; do
    if [[ $(head -c 2 "$f") == '#!' ]]; then with_shebang+=("$f"); else without+=("$f"); fi
done

status=0
if ((${#with_shebang[@]} > 0)); then
    shellcheck --external-sources --source-path=SCRIPTDIR "${with_shebang[@]}" || status=1
fi
if ((${#without[@]} > 0)); then
    shellcheck --shell=bash --external-sources --source-path=SCRIPTDIR "${without[@]}" || status=1
fi
((status == 0)) && echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${#files[@]} scripts clean"
exit "$status"
