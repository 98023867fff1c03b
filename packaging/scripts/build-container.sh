#!/usr/bin/env bash
# make container: the outpost-server image, from the .deb of `make release`, signed.
#
#   build-container.sh DIST WORKDIR
#
# 1. The base image, unless podman has it already (OUTPOST_BASE_REBUILD=1 makes it again): no
#    registry is needed. mmdebstrap --variant=minbase makes Debian 12 from Debian's archive
#    (OUTPOST_DEBIAN_MIRROR, OUTPOST_DEBIAN_SECURITY_MIRROR) with the path exclusions of
#    Debian's slim images, imported as OUTPOST_BASE_IMAGE (localhost/debian:bookworm-slim).
#    With registry access, OUTPOST_BASE_IMAGE=docker.io/library/debian:bookworm-slim builds on
#    the real one instead, through the same Containerfile.
# 2. packaging/container/Containerfile, built with --build-arg BASE_IMAGE=... on a context that
#    holds nothing but DIST's outpost-server .deb, tagged localhost/outpost-server:VERSION and
#    OUTPOST_IMAGE_REPOSITORY:VERSION (the name it is pushed as; default
#    localhost/outpost-server).
# 3. Into DIST/container:
#      outpost-server-VERSION-ARCH.image.tar        the image as it goes to a registry: a tar of
#                                                   the directory outpost-server-VERSION-ARCH.image
#                                                   in containers' `dir:` layout (Docker v2s2
#                                                   manifest, gzip layers). Not an OCI archive:
#                                                   the OCI format drops the HEALTHCHECK.
#      outpost-server-VERSION-ARCH.manifest.json    its manifest, as the registry will serve it
#      outpost-server-VERSION-ARCH.signature        skopeo standalone GPG signature of that
#                                                   manifest for REPOSITORY:VERSION
#      outpost-server-VERSION-ARCH.reference        REPOSITORY:VERSION, what the signature names
#      outpost-server-VERSION-ARCH.size             the image's size in bytes, as podman counts
#      outpost-container-key.asc                    the public key that signed (the release key,
#                                                   or the throwaway key of this run)
#      SHA256SUMS, SHA256SUMS.asc                   of the files above
#    The signature is verified with nothing but that public key before the script ends.
#    Push the unpacked directory with
#    `skopeo copy --preserve-digests dir:outpost-server-VERSION-ARCH.image docker://REPOSITORY:VERSION`
#    so that the registry serves the signed manifest unchanged; `podman pull dir:...` loads it.
#
# The key is that of `make release` (signing.sh). Podman's storage and runtime: podman.sh.
set -euo pipefail
# shellcheck source=packaging/scripts/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=packaging/scripts/podman.sh
. "$(dirname "$0")/podman.sh"

dist=${1:?usage: build-container.sh DIST WORKDIR}
work=${2:?usage: build-container.sh DIST WORKDIR}
version=$OUTPOST_VERSION
arch=$OUTPOST_DEB_ARCH
base_image=${OUTPOST_BASE_IMAGE:-localhost/debian:bookworm-slim}
repository=${OUTPOST_IMAGE_REPOSITORY:-localhost/outpost-server}
mirror=${OUTPOST_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${OUTPOST_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
source_url=${OUTPOST_SOURCE_URL:-$(git -C "$OUTPOST_SOURCE_DIR" remote get-url origin 2>/dev/null \
    || echo https://github.com/outpost/outpost)}
image=localhost/outpost-server:$version
name=outpost-server-$version-$arch
out=$dist/container

deb=$dist/outpost-server_${version}_$arch.deb
[ -f "$deb" ] || die "no $deb: run make release first"
# The revision the package was built from (its changelog entry says), which HEAD may have left.
revision=$(dpkg-deb --fsys-tarfile "$deb" \
    | tar -xOf - ./usr/share/doc/outpost-server/changelog.gz | zcat \
    | sed -n 's/.*built from revision \([0-9a-z]*\)\.$/\1/p' | head -1)
revision=${revision:-$OUTPOST_GIT_REVISION}
command -v podman >/dev/null || die "podman is missing: run make container-deps"

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
timing() { echo "== $1 took $(($(date +%s) - $2)) s"; }

# --- 1. The base image -------------------------------------------------------------------------
started=$(date +%s)
if [ "${OUTPOST_BASE_REBUILD:-0}" = 1 ] || ! podman image exists "$base_image"; then
    case $base_image in
    localhost/*) ;;
    *) die "$base_image is not in podman's storage; pull it, or use a localhost/ name to build it" ;;
    esac
    echo "== $base_image: mmdebstrap --variant=minbase bookworm from $mirror"
    # What Debian's slim images leave out (/etc/dpkg/dpkg.cfg.d/docker in those), kept in the
    # base so that the packages installed on top leave it out too.
    excludes=()
    for path in /usr/share/doc/'*' /usr/share/man/'*' /usr/share/info/'*' /usr/share/groff/'*' \
        /usr/share/lintian/'*' /usr/share/linda/'*' /usr/share/locale/'*'; do
        excludes+=(--dpkgopt="path-exclude=$path")
    done
    excludes+=(--dpkgopt='path-include=/usr/share/doc/*/copyright')
    # merged-usr: the /usr symlinks made directly, as Debian's images have them, instead of the
    # usrmerge package (which pulls in perl).
    # Then, as Debian's slim images, no apt lists or caches and no logs of the bootstrap ($1 is
    # the hook's argument, the root being made).
    # shellcheck disable=SC2016
    slim='rm -rf "$1"/var/cache/apt/*.bin "$1"/var/lib/apt/lists/* "$1"/var/log/*.log \
        "$1"/var/log/apt/* "$1"/var/cache/debconf/*-old "$1"/var/lib/dpkg/*-old'
    mmdebstrap --quiet --variant=minbase --format=tar \
        --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr --customize-hook="$slim" \
        --aptopt='APT::Install-Recommends "false"' \
        "${excludes[@]}" \
        bookworm "$work/base.tar" \
        "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
        "deb $security_mirror bookworm-security main"
    podman import --quiet --change 'CMD ["bash"]' \
        --message "mmdebstrap --variant=minbase bookworm" "$work/base.tar" "$base_image" >/dev/null
    rm -f "$work/base.tar"
    timing "the base image" "$started"
else
    echo "== $base_image is there already (OUTPOST_BASE_REBUILD=1 makes it again)"
fi

# --- 2. The image --------------------------------------------------------------------------------
started=$(date +%s)
context=$work/context
mkdir -p "$context"
cp "$deb" "$context/"
echo "== podman build $image on $base_image"
# --format docker: the OCI image format has no HEALTHCHECK. The build's RUN step reaches
# Debian's archive for the package's dependencies over the host's network. Every time in the
# image is the release time (SOURCE_DATE_EPOCH), like the packages'.
podman build --format docker --pull=never --network=host \
    --file "$OUTPOST_SOURCE_DIR/packaging/container/Containerfile" \
    --build-arg "BASE_IMAGE=$base_image" \
    --build-arg "OUTPOST_VERSION=$version" \
    --build-arg "OUTPOST_REVISION=$revision" \
    --build-arg "OUTPOST_SOURCE=$source_url" \
    --build-arg "OUTPOST_CREATED=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)" \
    --timestamp "$SOURCE_DATE_EPOCH" \
    --tag "$image" --tag "$repository:$version" \
    "$context"
size=$(podman image inspect --format '{{.Size}}' "$image")
timing "the image" "$started"
echo "== $image: $((size / 1000000)) MB ($size bytes)"

# --- 3. Archive, sign, verify ---------------------------------------------------------------
rm -rf "$out"
mkdir -p "$out"
layout=$work/$name.image
podman push --quiet --compress --format v2s2 "$repository:$version" "dir:$layout"
cp "$layout/manifest.json" "$out/$name.manifest.json"
tar --sort=name --format=gnu --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    -C "$work" -cf "$out/$name.image.tar" "$name.image"
rm -rf "$layout"
echo "$repository:$version" >"$out/$name.reference"
echo "$size" >"$out/$name.size"

# shellcheck source=packaging/scripts/signing.sh
. "$(dirname "$0")/signing.sh"
signing_setup container
signing_banner
passphrase=()
if [ -n "${OUTPOST_SIGNING_KEY_PASSPHRASE_FILE:-}" ]; then
    passphrase=(--passphrase-file "$OUTPOST_SIGNING_KEY_PASSPHRASE_FILE")
fi
skopeo standalone-sign "${passphrase[@]}" --output "$out/$name.signature" \
    "$out/$name.manifest.json" "$repository:$version" "$fingerprint"
gpg --armor --export "$fingerprint" >"$out/outpost-container-key.asc"
(cd "$out" && sha256sum -- "$name".* outpost-container-key.asc >SHA256SUMS)
gpg --quiet --local-user "$fingerprint" --armor --detach-sign -o "$out/SHA256SUMS.asc" \
    "$out/SHA256SUMS"

# Verified with nothing but the exported public key, in a keyring of its own.
verify_home=$(mktemp -d "${TMPDIR:-/tmp}/outpost-container-verify.XXXXXX")
(
    export GNUPGHOME=$verify_home
    trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
    gpg --batch --quiet --import "$out/outpost-container-key.asc"
    skopeo standalone-verify "$out/$name.manifest.json" "$repository:$version" "$fingerprint" \
        "$out/$name.signature" >/dev/null || die "the image signature does not verify"
    gpg --batch --quiet --verify "$out/SHA256SUMS.asc" "$out/SHA256SUMS" 2>/dev/null \
        || die "SHA256SUMS.asc does not verify"
)
echo "== $repository:$version signed by $fingerprint, verified"
echo "== image in $out"
(cd "$out" && ls -l)
signing_banner
