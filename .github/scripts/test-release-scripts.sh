#!/usr/bin/env bash
# The release workflow's scripts, run here on made-up artefacts (make lint-scripts):
# release-version.sh, signing-key.sh and assemble-release.sh, each also where it must fail.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/outpost-release-scripts.XXXXXX")
export GNUPGHOME=$tmp/gnupg
cleanup() {
    gpgconf --kill all >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
checks=0
fail() {
    echo "test-release-scripts: FAIL: $*" >&2
    exit 1
}
ok() { checks=$((checks + 1)); }

# --- release-version.sh -------------------------------------------------------------------
version=$(sed -nE 's/^project\(Outpost VERSION ([0-9.]+)[ )].*/\1/p' "$here/../../CMakeLists.txt")
[[ $("$here/release-version.sh" "v$version") == "$version" ]] || fail "release-version.sh v$version"
ok
for tag in "$version" "v$version.1" "v0.0.0-rc1" "v${version}x"; do
    if "$here/release-version.sh" "$tag" >/dev/null 2>&1; then fail "release-version.sh accepts $tag"; fi
    ok
done

# --- signing-key.sh -----------------------------------------------------------------------
mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
# A low key-derivation count: the agent's calibration takes many seconds on a busy machine.
echo "s2k-count 65536" >"$GNUPGHOME/gpg-agent.conf"
printf 'a passphrase\n' >"$tmp/passphrase"
gpg --batch --quiet --pinentry-mode loopback --passphrase-file "$tmp/passphrase" \
    --quick-gen-key "Release scripts test <test@outpost.invalid>" ed25519 sign never
key=$(gpg --batch --quiet --pinentry-mode loopback --passphrase-file "$tmp/passphrase" \
    --armor --export-secret-keys)
gpgconf --kill all
rm -rf "$GNUPGHOME"

runner_temp=$tmp/runner
mkdir -p "$runner_temp"
: >"$tmp/github-env"
if RUNNER_TEMP=$runner_temp GITHUB_ENV=$tmp/github-env OUTPOST_SIGNING_KEY='' \
    "$here/signing-key.sh" write >/dev/null 2>&1; then
    fail "signing-key.sh write succeeds without the secret"
fi
ok
RUNNER_TEMP=$runner_temp GITHUB_ENV=$tmp/github-env OUTPOST_SIGNING_KEY=$key \
    OUTPOST_SIGNING_KEY_PASSPHRASE='a passphrase' "$here/signing-key.sh" write
key_file=$(sed -n 's/^OUTPOST_SIGNING_KEY_FILE=//p' "$tmp/github-env")
passphrase_file=$(sed -n 's/^OUTPOST_SIGNING_KEY_PASSPHRASE_FILE=//p' "$tmp/github-env")
[[ -s $key_file && -s $passphrase_file ]] || fail "signing-key.sh wrote no key or passphrase file"
[[ $(stat -c %a "$key_file") == 600 && $(stat -c %a "$passphrase_file") == 600 ]] \
    || fail "the key files are readable by others"
ok

# --- assemble-release.sh ------------------------------------------------------------------
artifacts=$tmp/artifacts
mkdir -p "$artifacts"/{linux-packages/apt/dists/stable,linux-packages/rpm/repodata} \
    "$artifacts"/{container-image,windows-installer,macos-dmg/nested}
for f in "outpost-server_${version}_amd64.deb" "outpost-server-$version-1.x86_64.rpm" \
    "outpost-$version-linux-x86_64.tar.gz" outpost-release-key.asc SHA256SUMS SHA256SUMS.asc; do
    echo "$f" >"$artifacts/linux-packages/$f"
done
echo Release >"$artifacts/linux-packages/apt/dists/stable/Release"
echo repomd >"$artifacts/linux-packages/rpm/repodata/repomd.xml"
echo image >"$artifacts/container-image/outpost-server-$version.oci.tar"
echo sums >"$artifacts/container-image/SHA256SUMS"
echo signature >"$artifacts/container-image/SHA256SUMS.asc"
echo exe >"$artifacts/windows-installer/Outpost-$version-win64.exe"
echo dmg >"$artifacts/macos-dmg/nested/Outpost-$version.dmg"

assemble() {
    OUTPOST_SIGNING_KEY_FILE=$key_file OUTPOST_SIGNING_KEY_PASSPHRASE_FILE=$passphrase_file \
        "$here/assemble-release.sh" "$@"
}
assemble "$artifacts" "$tmp/release" "$version" >/dev/null
out=$tmp/release
expected=("outpost-server_${version}_amd64.deb" "outpost-server-$version-1.x86_64.rpm"
    "outpost-$version-linux-x86_64.tar.gz" outpost-release-key.asc
    "outpost-$version-apt-repository.tar.gz" "outpost-$version-rpm-repository.tar.gz"
    "outpost-server-$version.oci.tar" "Outpost-$version-win64.exe" "Outpost-$version.dmg")
for f in "${expected[@]}"; do
    grep -q "  $f\$" "$out/SHA256SUMS" || fail "SHA256SUMS does not list $f"
done
[[ $(wc -l <"$out/SHA256SUMS") -eq ${#expected[@]} ]] || fail "SHA256SUMS lists other files"
ok
tar -tzf "$out/outpost-$version-apt-repository.tar.gz" | grep -qx 'apt/dists/stable/Release' \
    || fail "the apt repository tarball lacks apt/dists/stable/Release"
ok
# Verify as a user: only the public key.
GNUPGHOME=$tmp/verify
mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
gpg --batch --quiet --import "$key_file" 2>/dev/null
gpg --batch --export >"$tmp/keyring.gpg"
gpgconf --kill all
GNUPGHOME=$tmp/gnupg-unused
gpgv --keyring "$tmp/keyring.gpg" "$out/SHA256SUMS.asc" "$out/SHA256SUMS" 2>/dev/null \
    || fail "gpgv refuses the release's SHA256SUMS.asc"
(cd "$out" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c fails"
echo tampered >>"$out/Outpost-$version.dmg"
if (cd "$out" && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1); then
    fail "sha256sum -c accepts a changed DMG"
fi
ok
# A second run gives the same repository tarballs (fixed order, owner and times).
cp "$out/SHA256SUMS" "$tmp/first-sums"
sleep 1 # a different wall-clock second: the archives must not depend on it
assemble "$artifacts" "$tmp/release" "$version" >/dev/null
diff <(grep repository "$tmp/first-sums") <(grep repository "$tmp/release/SHA256SUMS") >/dev/null \
    || fail "the repository tarballs differ between two runs"
ok

rm -rf "$artifacts/macos-dmg/nested"
if assemble "$artifacts" "$tmp/release2" "$version" >/dev/null 2>&1; then
    fail "assemble-release.sh succeeds without the macOS DMG"
fi
ok
echo dmg >"$artifacts/macos-dmg/Outpost-$version.dmg"
echo clash >"$artifacts/windows-installer/outpost-release-key.asc"
if assemble "$artifacts" "$tmp/release2" "$version" >/dev/null 2>&1; then
    fail "assemble-release.sh accepts two artefacts of the same name"
fi
ok
if OUTPOST_SIGNING_KEY_FILE='' "$here/assemble-release.sh" "$artifacts" "$tmp/release2" "$version" \
    >/dev/null 2>&1; then
    fail "assemble-release.sh succeeds without a key"
fi
ok

RUNNER_TEMP=$runner_temp "$here/signing-key.sh" remove
[[ ! -e $key_file ]] || fail "signing-key.sh remove left the key"
ok
echo "test-release-scripts: $checks checks passed"
