#!/usr/bin/env bash
# The checks of make package, on what build-packages.sh made. Any finding fails the build.
#
#   check-packages.sh WORKDIR OUTDIR
#
# lintian --pedantic: no errors, no warnings (overrides only with a reason beside them, in
# packaging/debian/*.lintian-overrides); rpmlint: no errors; desktop-file-validate and
# appstreamcli validate --pedantic: clean; systemd-analyze verify: prints nothing (it exits 0
# on unknown settings); systemd-analyze security: exposure at most 2.0. Reports go to
# WORKDIR/checks/.
set -euo pipefail
# shellcheck source=packaging/scripts/common.sh
. "$(dirname "$0")/common.sh"

work=${1:?usage: check-packages.sh WORKDIR OUTDIR}
out=${2:?usage: check-packages.sh WORKDIR OUTDIR}
version=$OUTPOST_VERSION
stage=$work/outpost-$version
server_tree=$stage/debian/outpost-server
desktop_tree=$stage/debian/outpost
reports=$work/checks
mkdir -p "$reports"
failed=0

check() { # NAME COMMAND...: runs COMMAND, keeps its output in reports/NAME.txt, shows it
    local name=$1
    shift
    echo "== $name"
    if "$@" >"$reports/$name.txt" 2>&1; then
        cat "$reports/$name.txt"
    else
        cat "$reports/$name.txt"
        echo "** $name failed" >&2
        failed=1
    fi
}

# lintian reads the .changes: both packages and the .buildinfo.
check lintian lintian --pedantic --fail-on error,warning --display-info \
    "$work/outpost_${version}_${OUTPOST_DEB_ARCH}.changes"

rpmlint_clean() {
    rpmlint "$@"
    local status=$?
    # rpmlint exits non-zero for warnings too; only errors fail the check.
    grep -Eq '^ *[0-9]+ packages and [0-9]+ specfiles checked; 0 errors' "$reports/rpmlint.txt" \
        || return 1
    [ $status -ne 1 ] # 1: rpmlint itself failed
}
check rpmlint rpmlint_clean --config "$stage/packaging/rpm/rpmlint.toml" "$out"/*.rpm

check desktop-file-validate \
    desktop-file-validate "$desktop_tree/usr/share/applications/org.outpost.outpost.desktop"
check appstreamcli appstreamcli validate --no-net --pedantic --explain \
    "$desktop_tree/usr/share/metainfo/org.outpost.outpost.metainfo.xml"

# systemd-analyze sees the unit as installed: a root with this machine's units (the targets the
# unit's dependencies name), the package's files (the binary ExecStart runs), the kill that
# ExecReload runs (procps, a dependency of the package), and the package's man page for
# Documentation=.
root=$work/systemd-root
rm -rf "$root"
mkdir -p "$root/lib/systemd"
cp -a /lib/systemd/system "$root/lib/systemd/"
cp -a "$server_tree/." "$root/"
rm -rf "$root/DEBIAN"
install -D -m 0755 /bin/kill "$root/bin/kill"
unit=$root/lib/systemd/system/outpost-server.service
silent() { # COMMAND...: fails when COMMAND fails or prints anything
    local output
    output=$("$@" 2>&1) || { printf '%s\n' "$output"; return 1; }
    [ -z "$output" ] || { printf '%s\n' "$output"; return 1; }
}
check systemd-analyze-verify silent env MANPATH="$server_tree/usr/share/man" \
    systemd-analyze verify --root="$root" "$unit"
check systemd-analyze-security \
    systemd-analyze security --offline=true --threshold=20 --root="$root" "$unit"

[ $failed -eq 0 ] || die "checks failed (reports in $reports)"
echo "== all checks passed"
