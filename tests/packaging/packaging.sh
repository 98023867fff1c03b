#!/usr/bin/env bash
# The packaging tests (CTest label `packaging`), one case per CTest test:
#
#   packaging.sh release      fixture: `make release` into OUTPOST_PACKAGING_DIR (built once)
#   packaging.sh signatures   gpgv + sha256sum, rpmkeys -K and debsig-verify, each also refusing
#                             a flipped byte
#   packaging.sh apt-refusal  apt accepts the repository, refuses it re-signed by another key
#                             and with a tampered Packages file
#   packaging.sh install      installs both packages from the repository into THIS machine with
#                             apt-get, checks the service user, data directory, conffile, the
#                             unit's ExecStart as that user, migrate status and outpost
#                             --headless, then remove and purge; needs root
#
# apt runs with its own sources, lists and caches under a temporary directory, so the machine's
# apt configuration is never touched. The install case leaves the machine as it found it: the
# packages purged, the outpost user and /var/lib/outpost removed when the test created them,
# nothing running. It refuses to start when Outpost is already installed here, and a run that
# was killed is cleaned up by the next one (the state file below). Exit 77 means skipped.
set -euo pipefail

case_name=${1:?usage: packaging.sh release|signatures|apt-refusal|install}
src=${OUTPOST_SOURCE_DIR:?}
packaging=${OUTPOST_PACKAGING_DIR:?}
dist=$packaging/dist
state=$packaging/install-test.state
version=$(sed -n 's/^project(Outpost VERSION \([0-9][0-9.]*\) .*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)

# shellcheck source=tests/support/testlib.sh
. "$src/tests/support/testlib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/outpost-packaging.XXXXXX")
chmod 755 "$tmp" # apt's download sandbox user reads the sources through it
export GNUPGHOME=$tmp/gnupg # gpg never touches the home directory of the user running this
mkdir -m 700 "$GNUPGHOME"
cleanups=()
cleanup() {
    local i
    for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done
    gpgconf --kill all 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

need_release() {
    [ -f "$dist/SHA256SUMS.asc" ] || fail "no release in $dist (the packaging_release fixture failed)"
}

# --- release ---------------------------------------------------------------------------------
run_release() {
    # Not make's child: a jobserver of the make that runs ctest is not ours.
    unset MAKEFLAGS MFLAGS MAKELEVEL
    make -C "$src" release PACKAGING_DIR="$packaging" DIST_DIR="$dist"
    for file in "outpost-server_${version}_$arch.deb" "outpost_${version}_$arch.deb" \
        "outpost-server-$version-1.$(uname -m).rpm" "outpost-$version-1.$(uname -m).rpm" \
        "outpost-$version-linux-$(uname -m).tar.gz" SHA256SUMS SHA256SUMS.asc \
        outpost-archive-keyring.gpg outpost-release-key.asc \
        apt/dists/stable/Release apt/dists/stable/InRelease apt/dists/stable/Release.gpg \
        "apt/dists/stable/main/binary-$arch/Packages" rpm/repodata/repomd.xml \
        rpm/repodata/repomd.xml.asc; do
        [ -s "$dist/$file" ] || fail "make release did not make $file"
    done
    pass "make release made every file of dist/"
}

# --- signatures ------------------------------------------------------------------------------
flip_byte() { # FILE: changes one byte in the middle of FILE
    local size offset byte
    size=$(stat -c %s "$1")
    offset=$((size / 2))
    byte=$(od -An -tu1 -j "$offset" -N1 "$1" | tr -d ' ')
    printf '%b' "\\0$(printf '%03o' $(((byte + 1) % 256)))" \
        | dd of="$1" bs=1 seek="$offset" conv=notrunc status=none
}

run_signatures() {
    need_release
    local keyring=$dist/outpost-archive-keyring.gpg copy=$tmp/copy
    gpgv --keyring "$keyring" "$dist/SHA256SUMS.asc" "$dist/SHA256SUMS" \
        || fail "gpgv refuses SHA256SUMS.asc"
    (cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c fails"
    pass "gpgv verifies SHA256SUMS.asc, sha256sum -c passes"

    mkdir "$copy"
    cp "$dist"/SHA256SUMS "$dist"/SHA256SUMS.asc "$dist"/*.deb "$dist"/*.rpm "$dist"/*.tar.gz \
        "$dist"/outpost-archive-keyring.gpg "$dist"/outpost-release-key.asc "$copy/"
    flip_byte "$copy/SHA256SUMS"
    if gpgv --keyring "$keyring" "$copy/SHA256SUMS.asc" "$copy/SHA256SUMS" 2>/dev/null; then
        fail "gpgv accepts a SHA256SUMS with one byte changed"
    fi
    cp "$dist/SHA256SUMS" "$copy/"
    local deb=outpost-server_${version}_$arch.deb rpm
    rpm=outpost-server-$version-1.$(uname -m).rpm
    for file in "$deb" "$rpm" "outpost-$version-linux-$(uname -m).tar.gz"; do
        cp "$dist/$file" "$copy/$file"
        flip_byte "$copy/$file"
        if (cd "$copy" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1); then
            fail "sha256sum -c accepts $file with one byte changed"
        fi
        cp "$dist/$file" "$copy/$file"
    done
    pass "a flipped byte fails gpgv (in SHA256SUMS) and sha256sum -c (in each package)"

    # rpmkeys: a database of its own, with and without the release key.
    local with_key=$tmp/rpmdb-key without_key=$tmp/rpmdb-empty
    rpmkeys --dbpath "$with_key" --import "$dist/outpost-release-key.asc" \
        || fail "rpmkeys cannot import the release key"
    rpm --dbpath "$without_key" --initdb
    for file in "$dist"/*.rpm; do
        rpmkeys --dbpath "$with_key" -K --define '_pkgverify_level signature' "$file" \
            || fail "rpmkeys -K refuses $(basename "$file") with the release key"
        if rpmkeys --dbpath "$without_key" -K --define '_pkgverify_level signature' \
            "$file" >/dev/null 2>&1; then
            fail "rpmkeys -K accepts $(basename "$file") without the release key"
        fi
    done
    flip_byte "$copy/$rpm"
    if rpmkeys --dbpath "$with_key" -K --define '_pkgverify_level signature' \
        "$copy/$rpm" >/dev/null 2>&1; then
        fail "rpmkeys -K accepts $rpm with one byte changed"
    fi
    pass "rpmkeys -K: signed by the release key, refused without it or when changed"

    # debsig-verify: a policy that names the release key as the origin.
    local keyid policies=$tmp/debsig/policies keyrings=$tmp/debsig/keyrings
    keyid=$(gpg --with-colons --show-keys "$keyring" | awk -F: '$1 == "pub" { print $5; exit }')
    [ -n "$keyid" ] || fail "no key in $keyring"
    mkdir -p "$policies/$keyid" "$keyrings/$keyid"
    cp "$keyring" "$keyrings/$keyid/outpost.gpg"
    sed "s/@KEYID@/$keyid/g" "$src/packaging/debsig/outpost.pol.in" \
        >"$policies/$keyid/outpost.pol"
    for file in "$dist"/*.deb; do
        debsig-verify --policies-dir "$policies" --keyrings-dir "$keyrings" "$file" \
            || fail "debsig-verify refuses $(basename "$file")"
    done
    flip_byte "$copy/$deb"
    if debsig-verify --policies-dir "$policies" --keyrings-dir "$keyrings" "$copy/$deb" \
        >/dev/null 2>&1; then
        fail "debsig-verify accepts $deb with one byte changed"
    fi
    if debsig-verify --policies-dir "$policies" --keyrings-dir "$keyrings" \
        "$packaging/packages/$deb" >/dev/null 2>&1; then
        fail "debsig-verify accepts the unsigned $deb"
    fi
    pass "debsig-verify: origin-signed by the release key, refused when changed or unsigned"
}

# --- apt, on a repository of its own --------------------------------------------------------
apt_options=()
apt_setup() { # REPO_DIR: apt options using only REPO_DIR, signed-by the release keyring
    local dir=$tmp/apt-$RANDOM
    mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/sources.list.d"
    echo "deb [signed-by=$dist/outpost-archive-keyring.gpg] file:$1 stable main" \
        >"$dir/sources.list"
    chmod -R a+rX "$dir"
    apt_options=(-o "Dir::Etc::SourceList=$dir/sources.list"
        -o "Dir::Etc::SourceParts=$dir/sources.list.d"
        -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache::Archives=$dir/archives"
        -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
        -o "DPkg::Lock::Timeout=300" -o "APT::Get::List-Cleanup=false")
}
apt_update() { apt-get "${apt_options[@]}" -q update 2>&1; }

resign_release() { # REPO_DIR: signs REPO_DIR's Release with a new key of its own
    local home=$tmp/other-gnupg
    mkdir -m 700 "$home"
    GNUPGHOME=$home gpg --batch --quiet --passphrase '' --pinentry-mode loopback \
        --quick-gen-key "Not Outpost <other@outpost.invalid>" rsa3072 sign never
    local release=$1/dists/stable
    rm -f "$release/InRelease" "$release/Release.gpg"
    GNUPGHOME=$home gpg --batch --quiet --clearsign -o "$release/InRelease" "$release/Release"
    GNUPGHOME=$home gpg --batch --quiet --armor --detach-sign -o "$release/Release.gpg" \
        "$release/Release"
    GNUPGHOME=$home gpgconf --kill all
}

run_apt_refusal() {
    need_release
    [ "$(id -u)" -eq 0 ] || skip "apt-get update needs root (run the packaging tests as root)"
    apt_setup "$dist/apt"
    apt_update >"$tmp/good.log" || { cat "$tmp/good.log"; fail "apt refuses the release repository"; }
    # No `| grep -q` under pipefail: grep leaving early would fail the writer with SIGPIPE.
    apt-cache "${apt_options[@]}" policy outpost-server | grep "Candidate: $version" >/dev/null \
        || fail "apt does not offer outpost-server $version"
    pass "apt accepts the repository signed by the release key"

    cp -a "$dist/apt" "$tmp/other-key"
    resign_release "$tmp/other-key"
    apt_setup "$tmp/other-key"
    if apt_update >"$tmp/other.log"; then
        cat "$tmp/other.log"
        fail "apt accepts a repository signed by another key"
    fi
    grep -Eq "NO_PUBKEY|not signed" "$tmp/other.log" || { cat "$tmp/other.log"; fail "refused, but not for the signature"; }
    pass "apt refuses a repository signed by another key"

    cp -a "$dist/apt" "$tmp/tampered"
    local index=$tmp/tampered/dists/stable/main/binary-$arch
    sed -i 's/^Description: self-hosted API service.*/Description: tampered/' "$index/Packages"
    grep -q "^Description: tampered" "$index/Packages" || fail "could not tamper with Packages"
    rm -f "$index/Packages.gz"
    gzip -9nk "$index/Packages"
    apt_setup "$tmp/tampered"
    if apt_update >"$tmp/tampered.log"; then
        cat "$tmp/tampered.log"
        fail "apt accepts a tampered Packages file"
    fi
    grep -Eq "Hash Sum mismatch|unexpected size" "$tmp/tampered.log" \
        || { cat "$tmp/tampered.log"; fail "refused, but not for the Packages file"; }
    pass "apt refuses a tampered Packages file"
}

# --- install into this machine ------------------------------------------------------------
installed() {
    local status
    status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) || return 1
    [ -n "$status" ] && [ "$status" != not-installed ]
}

# Undoes what a run recorded in $state, also one that was killed.
restore_machine() {
    [ -f "$state" ] || return 0
    local created_user=0 created_group=0 created_data_dir=0 run_dir=""
    # shellcheck disable=SC1090
    . "$state"
    pkill -TERM -f '^/usr/bin/outpost(-server)? ' 2>/dev/null || true
    if installed outpost-server || installed outpost; then
        DEBIAN_FRONTEND=noninteractive dpkg --purge outpost-server outpost >/dev/null
    fi
    if [ "$created_data_dir" = 1 ]; then rm -rf /var/lib/outpost; fi
    if [ "$created_user" = 1 ] && getent passwd outpost >/dev/null; then userdel outpost; fi
    if [ "$created_group" = 1 ] && getent group outpost >/dev/null; then groupdel outpost; fi
    case $run_dir in # a killed run's temporary files
    "$tmp") ;;
    */outpost-packaging.*) rm -rf "$run_dir" ;;
    esac
    rm -f "$state"
}

wait_for_port() { # LOG PID: the port the server logs it listens on, once it does
    local port=""
    for _ in $(seq 300); do
        port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$1" | head -1)
        [ -n "$port" ] && break
        kill -0 "$2" 2>/dev/null || { cat "$1"; fail "the server exited before listening"; }
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$1"; fail "the server did not listen within 30 s"; }
    echo "$port"
}

stop_server() { # PID: SIGTERM, then the exit status must be 0
    kill -TERM "$1"
    local status=0
    wait "$1" || status=$?
    [ $status -eq 0 ] || fail "the server exited with $status after SIGTERM"
}

unit_value() { # KEY: the value of KEY= in the installed unit
    sed -n "s/^$1=//p" /lib/systemd/system/outpost-server.service
}

run_install() {
    need_release
    [ "$(id -u)" -eq 0 ] || skip "installing packages needs root (run the packaging tests as root)"
    restore_machine
    if installed outpost-server || installed outpost; then
        skip "Outpost is installed on this machine already; the install test leaves it alone"
    fi
    [ ! -e /etc/outpost ] || skip "/etc/outpost exists on this machine; the install test leaves it alone"
    local created_user=0 created_group=0 created_data_dir=0
    getent passwd outpost >/dev/null || created_user=1
    getent group outpost >/dev/null || created_group=1
    [ -e /var/lib/outpost ] || created_data_dir=1
    printf 'created_user=%s\ncreated_group=%s\ncreated_data_dir=%s\nrun_dir=%s\n' \
        $created_user $created_group $created_data_dir "$tmp" >"$state"
    cleanups+=(restore_machine)

    apt_setup "$dist/apt"
    apt_update >"$tmp/update.log" || { cat "$tmp/update.log"; fail "apt-get update"; }
    DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" -q -y --no-install-recommends \
        install outpost-server outpost >"$tmp/install.log" 2>&1 \
        || { cat "$tmp/install.log"; fail "apt-get install outpost-server outpost"; }
    [ "$(dpkg-query -W -f='${Version}' outpost-server)" = "$version" ] || fail "wrong version installed"
    pass "apt-get installs outpost-server and outpost $version from the signed repository"

    # The system user, the data directory, the conffile.
    local passwd
    passwd=$(getent passwd outpost) || fail "no outpost user"
    [ "$(echo "$passwd" | cut -d: -f6)" = /var/lib/outpost ] || fail "outpost's home: $passwd"
    [ "$(echo "$passwd" | cut -d: -f3)" -lt 1000 ] || fail "outpost is not a system user: $passwd"
    [ "$(stat -c '%U:%G %a' /var/lib/outpost)" = "outpost:outpost 750" ] \
        || fail "/var/lib/outpost: $(stat -c '%U:%G %a' /var/lib/outpost)"
    [ "$(stat -c '%U:%G %a' /etc/outpost/outpost.env)" = "root:outpost 640" ] \
        || fail "/etc/outpost/outpost.env: $(stat -c '%U:%G %a' /etc/outpost/outpost.env)"
    dpkg-query -W -f='${Conffiles}' outpost-server | grep ' /etc/outpost/outpost.env ' >/dev/null \
        || fail "/etc/outpost/outpost.env is not a conffile"
    pass "outpost system user, /var/lib/outpost outpost:outpost 750, conffile root:outpost 640"

    # The unit's ExecStart, as its user, with its environment (no systemd as PID 1 here). The
    # port is the one thing changed: 0, so that it never collides with anything on this machine.
    local exec_start env_file
    exec_start=$(unit_value ExecStart)
    env_file=$(unit_value EnvironmentFile)
    env_file=${env_file#-}
    [ "$(unit_value User)" = outpost ] || fail "the unit does not run as outpost"
    local environment=(HOME=/var/lib/outpost USER=outpost LOGNAME=outpost
        PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8)
    local assignment
    for assignment in $(unit_value Environment); do environment+=("$assignment"); done
    while IFS= read -r assignment; do
        case $assignment in '#'* | '') continue ;; esac
        environment+=("$assignment")
    done <"$env_file"
    environment+=(OUTPOST_LISTEN=127.0.0.1:0)
    # Replaces the calling (sub)shell, so that a background job's $! is the program itself.
    as_service() {
        cd / && exec setpriv --reuid=outpost --regid=outpost --init-groups -- \
            env -i "${environment[@]}" "$@"
    }

    # shellcheck disable=SC2086 # ExecStart is a command line
    as_service $exec_start >"$tmp/service.log" 2>&1 &
    local pid=$! port
    cleanups+=("kill $pid 2>/dev/null")
    port=$(wait_for_port "$tmp/service.log" $pid)
    curl -fsS "http://127.0.0.1:$port/healthz" >"$tmp/healthz" || fail "/healthz of the service"
    [ "$(stat -c %U /var/lib/outpost/outpost.db)" = outpost ] \
        || fail "the database is not the service user's"
    stop_server $pid
    pass "ExecStart as outpost with $env_file serves /healthz ($(cat "$tmp/healthz")) and stops on SIGTERM"

    (as_service /usr/bin/outpost-server migrate status) >"$tmp/migrate.log" 2>&1 \
        || { cat "$tmp/migrate.log"; fail "outpost-server migrate status"; }
    grep -q " applied " "$tmp/migrate.log" || { cat "$tmp/migrate.log"; fail "no applied migration"; }
    # The binary and the package agree: the version of CMakeLists.txt, and the revision the
    # changelog entry names (HEAD may have moved since make release).
    local reported expected revision
    reported=$(as_service /usr/bin/outpost-server version)
    revision=$(zcat /usr/share/doc/outpost-server/changelog.gz \
        | sed -n 's/.*built from revision \([0-9a-z]*\)\.$/\1/p')
    [ -n "$revision" ] || fail "the changelog names no revision"
    expected="outpost-server $version ($revision)"
    [ "$reported" = "$expected" ] || fail "outpost-server version: \"$reported\", not \"$expected\""
    pass "outpost-server migrate status and version work as the service user"

    # outpostctl's completions, where each shell looks for packaged ones; zsh loads its own.
    local completion
    for completion in /usr/share/bash-completion/completions/outpostctl \
        /usr/share/fish/vendor_completions.d/outpostctl.fish \
        /usr/share/zsh/vendor-completions/_outpostctl; do
        dpkg -L outpost-server | grep -qx "$completion" || fail "outpost-server lacks $completion"
    done
    head -n 1 /usr/share/zsh/vendor-completions/_outpostctl | grep -qx '#compdef outpostctl' \
        || fail "_outpostctl is not a zsh completion function"
    pass "outpostctl's bash, fish and zsh completions are installed"

    # The desktop app: headless from the installed path, and in German.
    mkdir -m 777 "$tmp/headless"
    (cd "$tmp/headless" && exec env -i HOME="$tmp/headless" PATH=/usr/bin:/bin \
        XDG_CONFIG_HOME="$tmp/headless" /usr/bin/outpost --headless --listen 127.0.0.1:0 \
        --data-dir "$tmp/headless/data") >"$tmp/headless.log" 2>&1 &
    pid=$!
    cleanups+=("kill $pid 2>/dev/null")
    port=$(wait_for_port "$tmp/headless.log" $pid)
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || fail "/healthz of outpost --headless"
    stop_server $pid
    pass "/usr/bin/outpost --headless serves /healthz"
    local german
    german=$(env -i HOME="$tmp/headless" XDG_CONFIG_HOME="$tmp/headless" LANG=de_DE.UTF-8 \
        /usr/bin/outpost --help)
    [[ $german == *Outpost-Verwaltungskonsole* ]] \
        || fail "outpost --help is not in German: $german"
    dpkg -L outpost | grep -x /usr/share/outpost/translations/outpost_de.qm >/dev/null \
        || fail "outpost_de.qm is not where the package installs it"
    pass "/usr/bin/outpost loads its German catalogue from /usr/share/outpost/translations"

    # remove keeps the configuration and the data; purge removes the configuration only.
    DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" -q -y remove outpost-server outpost \
        >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; fail "apt-get remove"; }
    if [ -e /usr/bin/outpost-server ] || [ -e /usr/bin/outpost ]; then
        fail "remove left the binaries"
    fi
    [ -f /etc/outpost/outpost.env ] || fail "remove deleted the configuration"
    [ -f /var/lib/outpost/outpost.db ] || fail "remove deleted the data"
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' outpost-server)" = "rc " ] \
        || fail "outpost-server is not in the removed, config-files state"
    pass "apt-get remove keeps /etc/outpost/outpost.env and /var/lib/outpost"
    DEBIAN_FRONTEND=noninteractive apt-get "${apt_options[@]}" -q -y purge outpost-server outpost \
        </dev/null >"$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log"; fail "apt-get purge"; }
    [ ! -e /etc/outpost ] || fail "purge left /etc/outpost: $(ls -la /etc/outpost)"
    installed outpost-server && fail "outpost-server is still known to dpkg after purge"
    [ -f /var/lib/outpost/outpost.db ] || fail "purge deleted the data (it must keep it)"
    pass "apt-get purge removes the configuration, asks nothing, keeps /var/lib/outpost"

    if pgrep -u outpost >/dev/null || pgrep -f '^/usr/bin/outpost(-server)? ' >/dev/null; then
        fail "processes left running: $(pgrep -a -u outpost; pgrep -af '^/usr/bin/outpost')"
    fi
    pass "nothing left running"
}

case $case_name in
release) run_release ;;
signatures) run_signatures ;;
apt-refusal) run_apt_refusal ;;
install) run_install ;;
*) fail "unknown case $case_name" ;;
esac
