# Shared by the packaging scripts: where the source is, its version, and the release time.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this

OUTPOST_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

die() {
    echo "packaging: $*" >&2
    exit 1
}

# The one place the version is written: project(Outpost VERSION x.y.z) in CMakeLists.txt.
OUTPOST_VERSION=$(sed -n 's/^project(Outpost VERSION \([0-9][0-9.]*\) .*/\1/p' \
    "$OUTPOST_SOURCE_DIR/CMakeLists.txt")
[ -n "$OUTPOST_VERSION" ] || die "no project(Outpost VERSION ...) in CMakeLists.txt"

# The git revision where there is one (unless the caller set it); a source tree without git
# builds as "unknown".
if [ -z "${OUTPOST_GIT_REVISION:-}" ]; then
    OUTPOST_GIT_REVISION=$(git -C "$OUTPOST_SOURCE_DIR" rev-parse --short HEAD 2>/dev/null \
        || echo unknown)
fi
export OUTPOST_GIT_REVISION

# Every timestamp in the packages is this one: the commit's time, unless the caller set it.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$OUTPOST_SOURCE_DIR" log -1 --format=%ct 2>/dev/null \
        || stat -c %Y "$OUTPOST_SOURCE_DIR/CMakeLists.txt")
fi
export SOURCE_DATE_EPOCH

OUTPOST_DEB_ARCH=$(dpkg --print-architecture)
OUTPOST_RPM_ARCH=$(uname -m)
