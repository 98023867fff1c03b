#!/usr/bin/env bash
# make release: signs what make package built and lays out DIST:
#
#   *.deb (debsigs origin signature), *.rpm (rpmsign), the tarball
#   SHA256SUMS, SHA256SUMS.asc                       detached, armored
#   apt/dists/stable/{Release,InRelease,Release.gpg}, apt/dists/stable/main/binary-ARCH/Packages
#   apt/pool/main/*.deb                              a signed apt repository (apt-ftparchive)
#   rpm/*.rpm, rpm/repodata/repomd.xml{,.asc}        a signed yum repository (createrepo_c)
#   outpost-archive-keyring.gpg                      the public key, binary, for signed-by=
#   outpost-release-key.asc                          the public key, armored
#
#   sign-release.sh PACKAGES_DIR DIST
#
# The key: OUTPOST_SIGNING_KEY_FILE (an armored secret key), with OUTPOST_SIGNING_KEY_PASSPHRASE_FILE
# if it has a passphrase, imported into a temporary GNUPGHOME that is deleted at the end. Without
# it, a throwaway key is made, and the release says so loudly. No key is ever kept.
set -euo pipefail
# shellcheck source=packaging/scripts/common.sh
. "$(dirname "$0")/common.sh"

packages=${1:?usage: sign-release.sh PACKAGES_DIR DIST}
dist=${2:?usage: sign-release.sh PACKAGES_DIR DIST}
version=$OUTPOST_VERSION
suite=stable
component=main

# shellcheck source=packaging/scripts/signing.sh
. "$(dirname "$0")/signing.sh"
signing_setup release
signing_banner
echo "== signing with $fingerprint"

rm -rf "$dist"
mkdir -p "$dist"
cp "$packages"/*.deb "$packages"/*.rpm "$packages"/*.tar.gz "$dist/"

# --- Package signatures ----------------------------------------------------------------------
for deb in "$dist"/*.deb; do
    debsigs --sign=origin --default-key="$fingerprint" "$deb"
done
rpmsign --addsign \
    --define "_gpg_name $fingerprint" \
    --define "_gpg_path $GNUPGHOME" \
    --define "__gpg $(command -v gpg)" \
    "$dist"/*.rpm >/dev/null

gpg --export "$fingerprint" >"$dist/outpost-archive-keyring.gpg"
gpg --armor --export "$fingerprint" >"$dist/outpost-release-key.asc"

# --- The apt repository ------------------------------------------------------------------------
apt_root=$dist/apt
pool=$apt_root/pool/$component
index=$apt_root/dists/$suite/$component/binary-$OUTPOST_DEB_ARCH
mkdir -p "$pool" "$index"
ln "$dist"/*.deb "$pool/"
(cd "$apt_root" && apt-ftparchive packages "pool/$component") >"$index/Packages"
gzip -9nk "$index/Packages"
(cd "$apt_root/dists/$suite" && apt-ftparchive \
    -o APT::FTPArchive::Release::Origin=Outpost \
    -o APT::FTPArchive::Release::Label=Outpost \
    -o APT::FTPArchive::Release::Suite=$suite \
    -o APT::FTPArchive::Release::Codename=$suite \
    -o APT::FTPArchive::Release::Architectures="$OUTPOST_DEB_ARCH" \
    -o APT::FTPArchive::Release::Components=$component \
    -o APT::FTPArchive::Release::Description="Outpost $version" \
    release .) >"$apt_root/Release.tmp"
mv "$apt_root/Release.tmp" "$apt_root/dists/$suite/Release"
gpg --quiet --local-user "$fingerprint" --clearsign \
    -o "$apt_root/dists/$suite/InRelease" "$apt_root/dists/$suite/Release"
gpg --quiet --local-user "$fingerprint" --armor --detach-sign \
    -o "$apt_root/dists/$suite/Release.gpg" "$apt_root/dists/$suite/Release"
cp "$dist/outpost-archive-keyring.gpg" "$apt_root/"

# --- The yum repository ------------------------------------------------------------------------
mkdir -p "$dist/rpm"
ln "$dist"/*.rpm "$dist/rpm/"
createrepo_c --quiet "$dist/rpm"
gpg --quiet --local-user "$fingerprint" --armor --detach-sign \
    -o "$dist/rpm/repodata/repomd.xml.asc" "$dist/rpm/repodata/repomd.xml"
cp "$dist/outpost-release-key.asc" "$dist/rpm/RPM-GPG-KEY-outpost"

# --- Checksums of everything at the top ----------------------------------------------------
(cd "$dist" && sha256sum -- *.deb *.rpm *.tar.gz outpost-archive-keyring.gpg \
    outpost-release-key.asc >SHA256SUMS)
gpg --quiet --local-user "$fingerprint" --armor --detach-sign -o "$dist/SHA256SUMS.asc" \
    "$dist/SHA256SUMS"

# Verify what was just made, with nothing but the exported public key.
gpgv --quiet --keyring "$dist/outpost-archive-keyring.gpg" "$dist/SHA256SUMS.asc" \
    "$dist/SHA256SUMS" 2>/dev/null || die "SHA256SUMS.asc does not verify"

echo "== release in $dist"
(cd "$dist" && ls -l)
signing_banner
