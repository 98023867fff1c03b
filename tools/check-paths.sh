#!/usr/bin/env bash
# No file of the repository names a path outside it: check-paths.sh [FILE...]
#
# A clone must work wherever it is checked out, so no tracked file may depend on where one
# developer's machine keeps things. Fails on:
#   - a symbolic link whose target is absolute or climbs above the repository's root;
#   - an absolute path into this checkout (its own location), into the home directory of
#     whoever runs the check, or into the top folder that holds the checkout when that is no
#     standard system or home folder (/usr, /etc, /tmp, /home, /Users, ...): a shared work
#     folder, say;
#   - a relative path starting with ../ that climbs above the repository's root from the
#     folder of the file that names it.
# A line that must keep such a text (a test of path traversal, say) ends with a comment
# containing "path-check: allow".
# Without arguments every tracked file is checked; with arguments (pre-commit), those files.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd -P)

files=()
if (($# > 0)); then
    for f in "$@"; do [[ -e $f || -L $f ]] && files+=("$f"); done
else
    while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && files+=("$f"); done < <(git ls-files -z)
fi
((${#files[@]} > 0)) || exit 0

problems=0
report() {
    echo "$1" >&2
    problems=$((problems + 1))
}

# How many folders deep a path's folder is below the root ("a/b/c.txt": 2).
depth_of() {
    local dir
    dir=$(dirname "$1")
    [[ $dir == . ]] && { echo 0; return; }
    local slashes=${dir//[^\/]/}
    echo $((${#slashes} + 1))
}

# The absolute prefixes no file may name.
prefixes=("$top/")
if [[ -n ${HOME:-} && $HOME != / ]]; then prefixes+=("${HOME%/}/"); fi
first=${top#/}
first=/${first%%/*}
case $first in
/usr | /etc | /var | /tmp | /opt | /srv | /home | /Users | /private | /mnt | /media | /run | /builds | /__w) ;;
*) prefixes+=("$first/") ;;
esac

text_files=()
for f in "${files[@]}"; do
    if [[ -L $f ]]; then
        target=$(readlink "$f")
        if [[ $target == /* ]]; then
            report "$f: symbolic link to an absolute path ($target)"
        else
            climb=$(grep -o '\.\./' <<<"$target" | wc -l)
            # A link's target is relative to the link's folder.
            if ((climb > $(depth_of "$f"))); then
                report "$f: symbolic link that leaves the repository ($target)"
            fi
        fi
        continue
    fi
    [[ -f $f ]] && text_files+=("$f")
done

if ((${#text_files[@]} > 0)); then
    # Absolute prefixes: fixed strings, not preceded by a character that continues a path.
    for prefix in "${prefixes[@]}"; do
        while IFS= read -r hit; do
            [[ $hit == *"path-check: allow"* ]] && continue
            report "$hit  <- names $prefix"
        done < <(grep -n -I -H -E "(^|[^A-Za-z0-9_./-])${prefix//./\\.}" -- "${text_files[@]}" || true)
    done

    # Relative paths that climb above the root.
    while IFS= read -r hit; do
        [[ $hit == *"path-check: allow"* ]] && continue
        file=${hit%%:*}
        rest=${hit#*:}
        line=${rest#*:}
        depth=$(depth_of "$file")
        worst=0
        while [[ $line =~ (^|[^A-Za-z0-9_./-])((\.\./)+)(.*)$ ]]; do
            run=${BASH_REMATCH[2]}
            ((${#run} / 3 > worst)) && worst=$((${#run} / 3))
            line=${BASH_REMATCH[4]}
        done
        if ((worst > depth)); then
            report "$file:${rest%%:*}: a relative path climbs $worst folders up from a folder $depth deep"
        fi
    done < <(grep -n -I -H -E '(^|[^A-Za-z0-9_./-])\.\./' -- "${text_files[@]}" || true)
fi

if ((problems > 0)); then
    echo "check-paths: $problems reference(s) to paths outside the repository" >&2
    exit 1
fi
echo "check-paths: ${#files[@]} files name no path outside the repository"
