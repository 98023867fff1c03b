#!/usr/bin/env bash
# Compiles the Windows branches of the platform code for Windows, syntax and types only:
# check-windows.sh [FILE...]
#
# The project's machines run Debian, and Qt for Windows is not available here, so the code
# under `#ifdef Q_OS_WIN` / `_WIN32` (the data directory lock with LockFileEx, FlushFileBuffers
# and MoveFileExW in the stores and backups, console control events, Job Objects, ...) would
# otherwise first meet a compiler in the Windows installer workflow. Each C++ source of
# shared/, server/ and app/ that has such a branch is compiled with MinGW-w64's g++ for
# x86_64-w64-mingw32 and -fsyntax-only: the Win32 declarations come from MinGW-w64's
# <windows.h>, the C++ library is MinGW's libstdc++, and Qt's declarations come from Debian's
# own Qt headers (the only Qt here), which with _WIN32 defined take their Windows branches
# (Q_OS_WIN). What it does not check: Qt's Windows build configuration (Debian's qconfig.h is
# Linux's), MSVC (the Windows build's compiler), linking, and running anything.
# Without arguments every such source is checked; with arguments, those files.
set -euo pipefail
cd "$(dirname "$0")/.."

cxx=${MINGW_CXX:-x86_64-w64-mingw32-g++-posix}
if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "check-windows: $cxx is missing (Debian g++-mingw-w64-x86-64-posix; make lint-deps)" >&2
    exit 1
fi
qt=$(qmake6 -query QT_INSTALL_HEADERS 2>/dev/null || echo /usr/include/x86_64-linux-gnu/qt6)
if [ ! -d "$qt/QtCore" ]; then
    echo "check-windows: Qt's headers are not at $qt (Debian qt6-base-dev)" >&2
    exit 1
fi

# tl::expected is a header-only library in /usr/include; the Linux system headers beside it
# must not be seen, so only it is put on the include path, through a folder of links.
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
ln -s /usr/include/tl "$shim/tl"
for header in archive.h archive_entry.h sqlite3.h; do
    [ -e "/usr/include/$header" ] && ln -s "/usr/include/$header" "$shim/$header"
done
# Headers the build generates (configure_file), made here from their templates.
mkdir -p "$shim/core"
sed 's/@[A-Z_]*@/0/g' shared/core/version.h.in >"$shim/core/version.h"

flags=(-std=c++20 -fsyntax-only -Wall -Wextra -Werror -DUNICODE -D_UNICODE
    -isystem "$shim" -isystem "$qt")
for module in QtCore QtNetwork QtSql QtConcurrent QtHttpServer QtWebSockets QtGui QtWidgets; do
    [ -d "$qt/$module" ] && flags+=(-isystem "$qt/$module")
done
flags+=(-Ishared -Iserver -Iapp)

# First, that this compiler and these headers really take the Windows branches.
probe=$(mktemp --suffix=.cpp -p "$shim")
printf '#include <QtGlobal>\n#include <windows.h>\n#ifndef Q_OS_WIN\n#error not Q_OS_WIN\n#endif\nstatic_assert(sizeof(HANDLE) == 8);\n' >"$probe"
"$cxx" "${flags[@]}" "$probe"

if [ $# -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(git ls-files 'shared/*.cpp' 'server/*.cpp' 'app/*.cpp' |
        xargs grep -lE '^\s*#\s*(if|ifdef|ifndef|elif).*(Q_OS_WIN|_WIN32)' || true)
fi
if [ ${#files[@]} -eq 0 ]; then
    echo "check-windows: no source with a Windows branch found" >&2
    exit 1
fi
failed=0
for file in "${files[@]}"; do
    if "$cxx" "${flags[@]}" -I"$(dirname "$file")" "$file"; then
        echo "ok   $file"
    else
        echo "FAIL $file"
        failed=1
    fi
done
exit $failed
