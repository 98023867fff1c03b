#!/usr/bin/env bash
# The release job's last step: every artefact of the release in one flat folder, with one
# SHA256SUMS over all of them, signed (GPG, detached, armored) with the release key.
#
#   assemble-release.sh ARTIFACTS OUT VERSION
#
# ARTIFACTS holds one folder per workflow artifact (actions/download-artifact without a name):
#   linux-packages/     dist/ of make release: .deb, .rpm, tarball, keys, apt/ and rpm/ repos
#   container-image/    dist/container/ of make container: the image archive (OCI), its
#                       manifest and skopeo GPG signature, the public key
#   windows-installer/  macos-dmg/   from the reusable workflow installers.yml
# A GitHub release holds files, not folders: the apt and yum repositories go in as one
# tarball each. The SHA256SUMS(.asc) of make release and make container each cover their own
# files; the new SHA256SUMS covers everything and replaces them.
# The key: OUTPOST_SIGNING_KEY_FILE (OUTPOST_SIGNING_KEY_PASSPHRASE_FILE if it has one), as for
# make release, imported into a temporary GNUPGHOME deleted at the end.
set -euo pipefail

artifacts=${1:?usage: assemble-release.sh ARTIFACTS OUT VERSION}
out=${2:?usage: assemble-release.sh ARTIFACTS OUT VERSION}
version=${3:?usage: assemble-release.sh ARTIFACTS OUT VERSION}
: "${OUTPOST_SIGNING_KEY_FILE:?OUTPOST_SIGNING_KEY_FILE must name the release key}"

die() {
    echo "assemble-release: $*" >&2
    exit 1
}

for expected in linux-packages container-image windows-installer macos-dmg; do
    [[ -d $artifacts/$expected ]] || die "the artifact $expected is missing"
done

rm -rf "$out"
mkdir -p "$out"
add() { # add FILE: one file into OUT, never overwriting another of the same name
    local name
    name=$(basename "$1")
    [[ ! -e $out/$name ]] || die "two artefacts are named $name"
    cp -- "$1" "$out/$name"
}

linux=$artifacts/linux-packages
for f in "$linux"/*; do
    [[ -f $f ]] || continue
    case $(basename "$f") in
    SHA256SUMS | SHA256SUMS.asc) ;;
    *) add "$f" ;;
    esac
done
[[ -d $linux/apt && -d $linux/rpm ]] || die "linux-packages has no apt/ or rpm/ repository"
# Reproducible archives: fixed order, owner and times.
for repo in apt rpm; do
    name=outpost-$version-$repo-repository.tar.gz
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' -C "$linux" -cf - "$repo" \
        | gzip -9n >"$out/$name"
done

for dir in container-image windows-installer macos-dmg; do
    found=0
    while IFS= read -r -d '' f; do
        case $(basename "$f") in
        SHA256SUMS | SHA256SUMS.asc) continue ;;
        esac
        add "$f"
        found=1
    done < <(find "$artifacts/$dir" -type f -print0 | sort -z)
    ((found)) || die "the artifact $dir is empty"
done

GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/outpost-assemble-gnupg.XXXXXX")
export GNUPGHOME
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
chmod 700 "$GNUPGHOME"
# The agent re-protects the imported key for this temporary home only (deleted at the end):
# a low count spares its calibration, many seconds on a busy machine.
echo "s2k-count 65536" >"$GNUPGHOME/gpg-agent.conf"
{
    echo "batch"
    echo "no-tty"
    echo "pinentry-mode loopback"
    echo "digest-algo SHA512"
    if [[ -n ${OUTPOST_SIGNING_KEY_PASSPHRASE_FILE:-} ]]; then
        echo "passphrase-file $(readlink -f "$OUTPOST_SIGNING_KEY_PASSPHRASE_FILE")"
    fi
} >"$GNUPGHOME/gpg.conf"
gpg --quiet --import "$OUTPOST_SIGNING_KEY_FILE"
fingerprint=$(gpg --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
[[ -n $fingerprint ]] || die "no secret key in OUTPOST_SIGNING_KEY_FILE"

mapfile -t names < <(cd "$out" && find . -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort)
(cd "$out" && sha256sum -- "${names[@]}" >SHA256SUMS)
gpg --quiet --local-user "$fingerprint" --armor --detach-sign -o "$out/SHA256SUMS.asc" "$out/SHA256SUMS"

# Verify as a user would: the published public key, gpgv, sha256sum -c.
keyring=$(mktemp "${TMPDIR:-/tmp}/outpost-keyring.XXXXXX")
gpg --export "$fingerprint" >"$keyring"
gpgv --quiet --keyring "$keyring" "$out/SHA256SUMS.asc" "$out/SHA256SUMS" 2>/dev/null \
    || die "SHA256SUMS.asc does not verify"
rm -f "$keyring"
(cd "$out" && sha256sum --quiet -c SHA256SUMS) || die "SHA256SUMS does not match the files"
echo "== release $version: $(($(wc -l <"$out/SHA256SUMS"))) files, signed by $fingerprint"
(cd "$out" && ls -l)
