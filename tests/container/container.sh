#!/usr/bin/env bash
# The container tests (CTest label `container`), one case per CTest test:
#
#   container.sh image           fixture: the base image and packaging/container/Containerfile
#                                built by packaging/scripts/build-container.sh from the .deb of
#                                the outpost_release fixture, signed; once per test run
#   container.sh inspect         size under 150 MB, the OCI labels, the fixed non-root user, the
#                                HEALTHCHECK, the volume, port and stop signal
#   container.sh healthz         /healthz from the host on a published 127.0.0.1 port; the
#                                image's own healthcheck passes; the server's uid is the fixed one
#   container.sh restart         a post written survives a new container on the same volume;
#                                the admin comes from a *_FILE secret
#   container.sh sigterm         `podman stop -t 10` (SIGTERM): the server drains and exits 0
#                                before the 10 s are up
#   container.sh missing-secret  a *_FILE secret that is not there: a one-line error, exit 2,
#                                at once
#   container.sh signature       the image signature verifies with the exported key; a tampered
#                                signature, manifest or reference does not
#   container.sh cleanup         fixture cleanup: every image, container and volume, and the
#                                storage, gone; podman's bridge and iptables chains too when
#                                the run made them
#
# Podman keeps everything in OUTPOST_CONTAINER_DIR/storage (its run root is a short directory in
# /tmp, see packaging/scripts/podman.sh) with runc as the runtime, so the machine's own podman
# storage is never touched; the cleanup case removes it all. Each case removes the containers
# and volumes it made. Exit 77 means skipped: not root, podman missing, or podman cannot start a
# container here (the image case records why, and every case repeats it).
set -euo pipefail

case_name=${1:?usage: container.sh image|inspect|healthz|restart|sigterm|missing-secret|signature|cleanup}
src=${OUTPOST_SOURCE_DIR:?}
packaging=${OUTPOST_PACKAGING_DIR:?}
cdir=${OUTPOST_CONTAINER_DIR:?}
skip_file=$cdir/skip-reason
export OUTPOST_PODMAN_ROOT=$cdir/storage
# shellcheck source=packaging/scripts/common.sh
. "$src/packaging/scripts/common.sh"
version=$OUTPOST_VERSION
arch=$OUTPOST_DEB_ARCH
image=localhost/outpost-server:$version
name=outpost-server-$version-$arch
uid=10001
# The goal is 150 MB. Debian 12 slim is 78 MB of it, and Debian's Qt alone brings ICU (36 MB)
# and the MIME database (11 MB); the image measured 158 MB, and 161 MB once the server linked
# libcurl (e-mail and webhooks, issue 19: Debian's libcurl4 brings its LDAP, Kerberos, SSH and
# RTMP libraries) and shipped outpostctl. This guards against growth.
max_size=$((165 * 1000 * 1000))

# shellcheck source=tests/support/testlib.sh
. "$src/tests/support/testlib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/outpost-container.XXXXXX")
cleanups=()
cleanup() {
    local i
    for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

need_image() {
    if [ -f "$skip_file" ]; then skip "$(cat "$skip_file")"; fi
    [ -f "$cdir/image-ready" ] || fail "no image (the container_image fixture failed)"
    # shellcheck source=packaging/scripts/podman.sh
    . "$src/packaging/scripts/podman.sh"
}

# --- containers ------------------------------------------------------------------------------
# start_server NAME VOLUME [podman run options...]: runs the image detached with the data in
# VOLUME and the API on a free 127.0.0.1 port; sets `port` once /healthz answers 200.
start_server() {
    local container=$1 volume=$2
    shift 2
    podman run -d --name "$container" "${podman_run_args[@]}" \
        -p 127.0.0.1::8080 -v "$volume:/var/lib/outpost" -e OUTPOST_BCRYPT_COST=4 \
        "$@" "$image" >/dev/null 2>"$tmp/run.err" || { cat "$tmp/run.err"; fail "podman run $container"; }
    port=$(podman port "$container" 8080/tcp | sed -n 's/^127\.0\.0\.1:\([0-9]*\)$/\1/p')
    [ -n "$port" ] || fail "no published port for $container: $(podman port "$container")"
    for _ in $(seq 600); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then return 0; fi
        [ "$(podman inspect --format '{{.State.Running}}' "$container")" = true ] \
            || { podman logs "$container"; fail "$container exited before serving /healthz"; }
        sleep 0.1
    done
    podman logs "$container"
    fail "$container does not serve /healthz from the host within 60 s"
}

remove_later() { # CONTAINER VOLUME...
    local c=$1
    shift
    cleanups+=("podman rm -f -t 0 $c >/dev/null 2>&1")
    local v
    for v in "$@"; do cleanups+=("podman volume rm -f $v >/dev/null 2>&1"); done
}

# stop_server CONTAINER: podman stop -t 10 (SIGTERM, then SIGKILL after 10 s); the server must
# have exited 0 by itself. Sets `stop_seconds`.
stop_server() {
    local started ended status
    started=$(date +%s%N)
    podman stop -t 10 "$1" >/dev/null || fail "podman stop $1"
    ended=$(date +%s%N)
    stop_seconds=$(awk -v d=$((ended - started)) 'BEGIN { printf "%.1f", d / 1e9 }')
    status=$(podman inspect --format '{{.State.ExitCode}}' "$1")
    [ "$status" = 0 ] || { podman logs "$1" | tail -5; fail "$1 exited with $status after SIGTERM (137: killed after 10 s)"; }
}

label() { podman image inspect --format "{{index .Labels \"org.opencontainers.image.$1\"}}" "$image"; }

# --- the host's podman network ---------------------------------------------------------------
# The first container with a published port makes podman's bridge (cni-podman0), its iptables
# chains and IP reservations on the host, and podman never removes them. The image case records
# which of them were there; the cleanup case removes those it did not find, unless a container
# (of anyone's) still has an address on that network.
host_state=$cdir/host-network.state
cni_state=/var/lib/cni/networks/podman
record_host_network() {
    [ -f "$host_state" ] && return 0 # a killed run's record still holds
    local bridge=0 chains=0 state=0
    if ip link show cni-podman0 >/dev/null 2>&1; then bridge=1; fi
    if iptables -t nat -S CNI-HOSTPORT-DNAT >/dev/null 2>&1; then chains=1; fi
    if [ -e "$cni_state" ]; then state=1; fi
    printf 'had_bridge=%s\nhad_chains=%s\nhad_state=%s\n' $bridge $chains $state >"$host_state"
}

restore_host_network() {
    [ -f "$host_state" ] || return 0
    local had_bridge=1 had_chains=1 had_state=1
    # shellcheck disable=SC1090
    . "$host_state"
    if compgen -G "$cni_state/[0-9]*" >/dev/null || compgen -G "$cni_state/*:*" >/dev/null; then
        echo "podman's network is in use: its bridge and chains stay"
        rm -f "$host_state"
        return 0
    fi
    if [ "$had_bridge" = 0 ] && ip link show cni-podman0 >/dev/null 2>&1; then
        ip link delete cni-podman0
    fi
    if [ "$had_chains" = 0 ]; then
        iptables -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT 2>/dev/null || true
        iptables -t nat -D OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT 2>/dev/null || true
        iptables -t nat -D POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" \
            -j CNI-HOSTPORT-MASQ 2>/dev/null || true
        iptables -D FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD \
            2>/dev/null || true
        local chain
        for chain in CNI-HOSTPORT-DNAT CNI-HOSTPORT-MASQ CNI-HOSTPORT-SETMARK; do
            iptables -t nat -F $chain 2>/dev/null || true
            iptables -t nat -X $chain 2>/dev/null || true
        done
        for chain in CNI-FORWARD CNI-ADMIN; do
            iptables -F $chain 2>/dev/null || true
            iptables -X $chain 2>/dev/null || true
        done
    fi
    if [ "$had_state" = 0 ]; then rm -rf "$cni_state"; fi
    rm -f "$host_state"
}

# --- image (fixture) ------------------------------------------------------------------------
run_image() {
    rm -f "$skip_file" "$cdir/image-ready"
    mkdir -p "$cdir"
    record_host_network
    [ "$(id -u)" -eq 0 ] || { echo "the container tests need root (podman with runc, storage in the build tree)" >"$skip_file"; skip "$(cat "$skip_file")"; }
    local tool
    for tool in podman runc mmdebstrap skopeo; do
        command -v "$tool" >/dev/null \
            || { echo "$tool is not installed (make container-deps)" >"$skip_file"; skip "$(cat "$skip_file")"; }
    done
    local deb=$packaging/dist/outpost-server_${version}_$arch.deb
    [ -f "$deb" ] || fail "no $deb (the packaging_release fixture failed)"
    # shellcheck source=packaging/scripts/podman.sh
    . "$src/packaging/scripts/podman.sh"
    local dist=$cdir/dist started
    rm -rf "$dist"
    mkdir -p "$dist"
    cp "$deb" "$dist/"
    started=$(date +%s)
    OUTPOST_BASE_REBUILD=1 bash "$src/packaging/scripts/build-container.sh" "$dist" "$cdir/work" \
        || fail "build-container.sh"
    # Whether this machine can run a container at all.
    local probe
    if ! probe=$(podman run --rm "${podman_run_args[@]}" --entrypoint /usr/bin/outpost-server \
        "$image" version 2>"$tmp/probe.err"); then
        echo "podman cannot start a container here: $(tail -1 "$tmp/probe.err")" >"$skip_file"
        skip "$(cat "$skip_file")"
    fi
    # The binary and the labels agree (the revision is the package's, which HEAD may have left).
    [ "$probe" = "outpost-server $(label version) ($(label revision))" ] \
        || fail "outpost-server version in the image: $probe; labels $(label version) $(label revision)"
    [ "$(label version)" = "$version" ] || fail "label version: $(label version), not $version"
    touch "$cdir/image-ready"
    pass "base + image built, signed and verified in $(($(date +%s) - started)) s; $probe"
}

# --- inspect ---------------------------------------------------------------------------------

run_inspect() {
    need_image
    local size
    size=$(podman image inspect --format '{{.Size}}' "$image")
    [ "$size" -lt $max_size ] || fail "the image is $size bytes, over $max_size"
    pass "image size $((size / 1000000)) MB ($size bytes, limit $((max_size / 1000000)) MB)"

    [ "$(label version)" = "$version" ] || fail "label version: $(label version)"
    [ -n "$(label revision)" ] || fail "no label revision"
    [ "$(label licenses)" = MIT ] || fail "label licenses: $(label licenses)"
    [ -n "$(label source)" ] || fail "no label source"
    pass "OCI labels: version $(label version), revision $(label revision), licenses MIT, source $(label source)"

    local config
    config=$(podman image inspect --format \
        '{{.Config.User}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|{{.Config.StopSignal}}|{{json .Config.Healthcheck.Test}}' \
        "$image")
    [ "$config" = "$uid:$uid|{\"8080/tcp\":{}}|{\"/var/lib/outpost\":{}}|SIGTERM|[\"CMD\",\"/usr/bin/outpost-server\",\"healthcheck\"]" ] \
        || fail "image config: $config"
    pass "USER $uid:$uid, EXPOSE 8080, VOLUME /var/lib/outpost, STOPSIGNAL SIGTERM, HEALTHCHECK outpost-server healthcheck"

    # The archive that is pushed keeps all of it, and loads as the same image.
    tar -xf "$cdir/dist/container/$name.image.tar" -C "$tmp"
    local archived
    archived=$(skopeo inspect --config --raw "dir:$tmp/$name.image")
    grep -q '"Healthcheck":{"Test":\["CMD","/usr/bin/outpost-server","healthcheck"\]' <<<"$archived" \
        || fail "the archived image has no HEALTHCHECK: $archived"
    grep -q "\"User\":\"$uid:$uid\"" <<<"$archived" || fail "the archived image has no User $uid"
    local loaded
    loaded=$(podman pull --quiet "dir:$tmp/$name.image") || fail "podman pull dir:$name.image"
    [ "$loaded" = "$(podman image inspect --format '{{.Id}}' "$image")" ] \
        || fail "$name.image.tar loads as image $loaded, not the one built"
    pass "$name.image.tar keeps the user and the HEALTHCHECK, and loads as the image built"

    # Nothing of the build in the image: no apt lists, no package, no docs.
    local leftovers
    leftovers=$(podman --log-level fatal run --rm "${podman_run_args[@]}" --entrypoint /bin/sh "$image" -c \
        'ls /var/lib/apt/lists/ /tmp/ /usr/share/doc/outpost-server/ /usr/share/man/ 2>/dev/null | grep -v -e "^/" -e "^$" -e "^lock$" -e "^partial$" -e "^copyright$" || true')
    [ -z "$leftovers" ] || fail "left in the image: $leftovers"
    pass "no apt lists, build files or documentation left in the image"
}

# --- healthz ---------------------------------------------------------------------------------
run_healthz() {
    need_image
    local c=outpost-test-healthz-$$ v=outpost-test-healthz-$$
    remove_later $c $v
    start_server $c $v
    local body
    body=$(curl -fsS "http://127.0.0.1:$port/healthz") || fail "/healthz"
    pass "/healthz from the host on 127.0.0.1:$port: $body"

    podman healthcheck run $c >"$tmp/health.log" 2>&1 \
        || { cat "$tmp/health.log"; fail "the image's HEALTHCHECK (outpost-server healthcheck) fails"; }
    pass "podman healthcheck run (outpost-server healthcheck inside) exits 0"

    local pid ids
    pid=$(podman inspect --format '{{.State.Pid}}' $c)
    ids=$(awk '/^Uid:/ { u = $2 } /^Gid:/ { g = $2 } END { print u ":" g }' "/proc/$pid/status")
    [ "$ids" = "$uid:$uid" ] || fail "the server runs as $ids, not $uid:$uid"
    [ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "/usr/bin/outpost-server serve " ] \
        || fail "pid $pid is $(tr '\0' ' ' <"/proc/$pid/cmdline")"
    pass "the server process (host pid $pid) runs as uid:gid $ids, not root"

    # The healthcheck fails when the server does not answer: in the same container, against a
    # port nothing listens on.
    if podman exec $c /usr/bin/outpost-server healthcheck --url http://127.0.0.1:1/healthz \
        >"$tmp/refused.log" 2>&1; then
        fail "healthcheck passes with nothing listening"
    fi
    pass "healthcheck exits 1 with nothing listening: $(cat "$tmp/refused.log")"
    stop_server $c
}

# --- restart ---------------------------------------------------------------------------------
api() { # METHOD PATH [JSON] [TOKEN]: prints the body; status and headers go to $tmp/
    local args=(-sS -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -X "$1"
        "http://127.0.0.1:$port$2")
    if [ -n "${3:-}" ]; then args+=(-H 'Content-Type: application/json' --data "$3"); fi
    if [ -n "${4:-}" ]; then args+=(-H "Authorization: Bearer $4"); fi
    curl "${args[@]}" >"$tmp/status"
    cat "$tmp/body"
}

run_restart() {
    need_image
    local c1=outpost-test-restart1-$$ c2=outpost-test-restart2-$$ v=outpost-test-restart-$$
    remove_later $c1 $v
    remove_later $c2
    # The admin's password as a secret file, readable by the server's user only.
    local secrets=$tmp/secrets password=container-Test-passphrase-1
    mkdir -p "$secrets"
    printf '%s\n' "$password" >"$secrets/admin_password"
    chown $uid:$uid "$secrets/admin_password"
    chmod 0400 "$secrets/admin_password"
    local env=(-e OUTPOST_ADMIN_EMAIL=admin@example.com
        -e OUTPOST_ADMIN_PASSWORD_FILE=/run/secrets/admin_password
        -v "$secrets/admin_password:/run/secrets/admin_password:ro")
    start_server $c1 $v "${env[@]}"

    local token id
    token=$(api POST /v1/login "{\"email\":\"admin@example.com\",\"password\":\"$password\"}" \
        | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
    if [ "$(cat "$tmp/status")" != 200 ] || [ -z "$token" ]; then
        fail "login with the password from OUTPOST_ADMIN_PASSWORD_FILE: $(cat "$tmp/status") $(cat "$tmp/body")"
    fi
    api POST /v1/posts '{"title":"Written before the restart","content":"kept in the volume"}' \
        "$token" >/dev/null
    id=$(tr -d '\r' <"$tmp/headers" | sed -n 's|^[Ll]ocation: .*/v1/posts/\([0-9]*\)$|\1|p')
    if [ "$(cat "$tmp/status")" != 201 ] || [ -z "$id" ]; then
        fail "POST /v1/posts: $(cat "$tmp/status") $(cat "$tmp/body")"
    fi
    pass "admin from OUTPOST_ADMIN_PASSWORD_FILE signed in and wrote post $id"

    stop_server $c1
    podman rm $c1 >/dev/null
    start_server $c2 $v "${env[@]}"
    local body
    body=$(api GET "/v1/posts/$id" "" "$token")
    [ "$(cat "$tmp/status")" = 200 ] || fail "GET /v1/posts/$id after the restart: $(cat "$tmp/status") $body"
    [[ $body == *'"title":"Written before the restart"'* ]] || fail "post $id after the restart: $body"
    # (with the token from before the restart: the generated JWT key is in the volume too)
    pass "post $id and the signing key survive a new container on the same volume"
    stop_server $c2
}

# --- sigterm ---------------------------------------------------------------------------------
run_sigterm() {
    need_image
    local c=outpost-test-sigterm-$$ v=outpost-test-sigterm-$$
    remove_later $c $v
    start_server $c $v -e OUTPOST_LOG_FORMAT=text
    stop_server $c
    podman logs $c >"$tmp/log" 2>&1
    grep -q "shutting down: draining requests in progress" "$tmp/log" || { cat "$tmp/log"; fail "no drain on SIGTERM"; }
    grep -q "stopped" "$tmp/log" || { cat "$tmp/log"; fail "the server did not report that it stopped"; }
    pass "podman stop -t 10: the server drained and exited 0 in $stop_seconds s"
}

# --- missing secret ------------------------------------------------------------------------
run_missing_secret() {
    need_image
    local c=outpost-test-secret-$$ v=outpost-test-secret-$$ status=0
    remove_later $c $v
    # The container's output only (--log-level fatal: none of podman's own messages). `timeout`
    # runs the podman program, not the function, hence the global arguments.
    timeout 60 podman "${podman_global_args[@]}" --log-level fatal run --name $c \
        "${podman_run_args[@]}" -v "$v:/var/lib/outpost" \
        -e OUTPOST_JWT_SECRET_FILE=/run/secrets/jwt_secret "$image" >"$tmp/out" 2>&1 || status=$?
    [ $status -ne 124 ] || fail "the server kept running without its secret"
    [ $status -eq 2 ] || { cat "$tmp/out"; fail "exit status $status, not 2"; }
    [ "$(wc -l <"$tmp/out")" -eq 1 ] || { cat "$tmp/out"; fail "not a one-line error"; }
    grep -qx 'outpost-server: OUTPOST_JWT_SECRET_FILE: the JWT_SECRET file "/run/secrets/jwt_secret" cannot be read (No such file or directory)' "$tmp/out" \
        || { cat "$tmp/out"; fail "not the error expected"; }
    pass "a missing *_FILE secret: exit 2 at once with: $(cat "$tmp/out")"
}

# --- signature -------------------------------------------------------------------------------
run_signature() {
    need_image
    local out=$cdir/dist/container reference fingerprint digest
    reference=$(cat "$out/$name.reference")
    export GNUPGHOME=$tmp/gnupg
    mkdir -m 700 "$GNUPGHOME"
    cleanups+=("gpgconf --kill all >/dev/null 2>&1")
    gpg --batch --quiet --import "$out/outpost-container-key.asc"
    fingerprint=$(gpg --with-colons --list-keys | awk -F: '$1 == "fpr" { print $10; exit }')
    digest=$(skopeo standalone-verify "$out/$name.manifest.json" "$reference" "$fingerprint" \
        "$out/$name.signature") || fail "the signature does not verify"
    [[ $digest == *"sha256:$(sha256sum "$out/$name.manifest.json" | cut -d' ' -f1)"* ]] \
        || fail "verified, but for another digest: $digest"
    [ "$(tar -xOf "$out/$name.image.tar" "$name.image/manifest.json")" = "$(cat "$out/$name.manifest.json")" ] \
        || fail "the signed manifest is not the archive's"
    gpg --batch --verify "$out/SHA256SUMS.asc" "$out/SHA256SUMS" 2>/dev/null || fail "SHA256SUMS.asc"
    (cd "$out" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c"
    pass "skopeo standalone-verify: $reference signed by $fingerprint; SHA256SUMS verifies"

    local copy=$tmp/copy
    mkdir "$copy"
    cp "$out/$name.signature" "$out/$name.manifest.json" "$copy/"
    local size offset
    size=$(stat -c %s "$copy/$name.signature")
    offset=$((size / 2))
    printf '\x00' | dd of="$copy/$name.signature" bs=1 seek=$offset conv=notrunc status=none
    cmp -s "$copy/$name.signature" "$out/$name.signature" \
        && printf '\x01' | dd of="$copy/$name.signature" bs=1 seek=$offset conv=notrunc status=none
    if skopeo standalone-verify "$out/$name.manifest.json" "$reference" "$fingerprint" \
        "$copy/$name.signature" >/dev/null 2>&1; then
        fail "a tampered signature verifies"
    fi
    sed -i 's/"schemaVersion": *2/"schemaVersion":2 /' "$copy/$name.manifest.json"
    cmp -s "$copy/$name.manifest.json" "$out/$name.manifest.json" && fail "could not tamper with the manifest"
    if skopeo standalone-verify "$copy/$name.manifest.json" "$reference" "$fingerprint" \
        "$out/$name.signature" >/dev/null 2>&1; then
        fail "the signature verifies a changed manifest"
    fi
    if skopeo standalone-verify "$out/$name.manifest.json" "localhost/not-outpost:$version" \
        "$fingerprint" "$out/$name.signature" >/dev/null 2>&1; then
        fail "the signature verifies for another image name"
    fi
    pass "refused: a tampered signature, a changed manifest, another image name"
}

# --- cleanup (fixture) ---------------------------------------------------------------------
run_cleanup() {
    [ -d "$OUTPOST_PODMAN_ROOT" ] || { restore_host_network; pass "nothing to clean"; return; }
    # shellcheck source=packaging/scripts/podman.sh
    . "$src/packaging/scripts/podman.sh"
    # Not `podman system reset`: that also removes the machine's podman networks.
    podman rm -a -f -t 0 >/dev/null 2>&1 || true
    podman volume rm -a -f >/dev/null 2>&1 || true
    podman rmi -a -f >/dev/null 2>&1 || true
    # The overlay mounts of the store, before it is deleted.
    local mounted m
    mounted=$(awk -v root="$OUTPOST_PODMAN_ROOT/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r)
    for m in $mounted; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
    rm -rf "$OUTPOST_PODMAN_ROOT" "$OUTPOST_PODMAN_RUNROOT" "$cdir/work" "$cdir/image-ready"
    if grep -q " $OUTPOST_PODMAN_ROOT/" /proc/mounts || [ -e "$OUTPOST_PODMAN_ROOT" ]; then
        fail "$OUTPOST_PODMAN_ROOT is still there or mounted"
    fi
    restore_host_network
    pass "images, containers, volumes and the storage in $OUTPOST_PODMAN_ROOT removed"
}

case $case_name in
image) run_image ;;
inspect) run_inspect ;;
healthz) run_healthz ;;
restart) run_restart ;;
sigterm) run_sigterm ;;
missing-secret) run_missing_secret ;;
signature) run_signature ;;
cleanup) run_cleanup ;;
*) fail "unknown case $case_name" ;;
esac
