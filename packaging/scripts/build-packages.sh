#!/usr/bin/env bash
# make package: the .deb packages (debhelper), the .rpm packages and the portable tarball, all
# from ONE compilation, then every check (check-packages.sh). Nothing is signed here.
#
#   build-packages.sh OUTDIR WORKDIR
#
# WORKDIR/outpost-<version> is a copy of the source tree with packaging/debian as debian/ and a
# changelog entry made from the CMake project version; dpkg-buildpackage builds there. The RPM
# spec and the tarball take the files of the Debian package trees as they are, so all three
# formats hold the same binaries. OUTDIR receives the five files.
set -euo pipefail
# shellcheck source=packaging/scripts/common.sh
. "$(dirname "$0")/common.sh"

out=${1:?usage: build-packages.sh OUTDIR WORKDIR}
work=${2:?usage: build-packages.sh OUTDIR WORKDIR}
jobs=${PACKAGING_JOBS:-$(nproc)}
src=$OUTPOST_SOURCE_DIR
version=$OUTPOST_VERSION

[ -f "$src/tools/node_modules/swagger-ui-dist/package.json" ] \
    || die "tools/node_modules is missing: run make deps first"

echo "== Outpost $version ($OUTPOST_GIT_REVISION), SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH"
rm -rf "$work" "$out"
mkdir -p "$work" "$out"
work=$(cd "$work" && pwd)
out=$(cd "$out" && pwd)
stage=$work/outpost-$version
mkdir "$stage"

# --- The source tree, as git sees it (committed or not, never ignored files) -----------------
list_sources() {
    if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$src" ls-files -z --cached --others --exclude-standard
    else
        (cd "$src" && find . \( -path ./build -o -path ./dist -o -path ./.git \
            -o -path ./tools/node_modules \) -prune -o \( -type f -o -type l \) -print0)
    fi
}
list_sources | (cd "$src" && while IFS= read -r -d '' f; do
    case $f in tools/node_modules | tools/node_modules/* | ./tools/node_modules*) continue ;; esac
    if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
done) | (cd "$src" && tar --null --no-recursion -T - -cf -) | tar -xf - -C "$stage"
# Swagger UI, pinned by tools/package-lock.json, is embedded at build time.
ln -s "$(readlink -f "$src/tools/node_modules")" "$stage/tools/node_modules"

cp -rL "$stage/packaging/debian" "$stage/debian"
maintainer=$(sed -n 's/^Maintainer: //p' "$stage/debian/control")
cat >"$stage/debian/changelog" <<CHANGELOG
outpost ($version) unstable; urgency=medium

  * Outpost $version, built from revision $OUTPOST_GIT_REVISION.

 -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")
CHANGELOG

# --- Debian packages ---------------------------------------------------------------------------
echo "== dpkg-buildpackage"
(cd "$stage" && OUTPOST_GIT_REVISION=$OUTPOST_GIT_REVISION \
    DEB_BUILD_OPTIONS="parallel=$jobs terse ${DEB_BUILD_OPTIONS:-}" \
    dpkg-buildpackage -b -us -uc)
for package in outpost-server outpost; do
    cp "$work/${package}_${version}_${OUTPOST_DEB_ARCH}.deb" "$out/"
done

# --- RPM packages, from the Debian package trees ---------------------------------------------
echo "== rpmbuild"
rpmtop=$work/rpm
mkdir -p "$rpmtop"
rpmbuild -bb --quiet \
    --define "_topdir $rpmtop" \
    --define "_rpmdir $rpmtop/RPMS" \
    --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
    --define "outpost_version $version" \
    --define "outpost_revision $OUTPOST_GIT_REVISION" \
    --define "outpost_changelog_date $(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %d %Y')" \
    --define "outpost_server_tree $stage/debian/outpost-server" \
    --define "outpost_desktop_tree $stage/debian/outpost" \
    --define "outpost_systemd_dir $stage/packaging/systemd" \
    --define "_buildhost reproducible" \
    --define "use_source_date_epoch_as_buildtime 1" \
    --define "clamp_mtime_to_source_date_epoch 1" \
    --define "_binary_payload w9.gzdio" \
    "$stage/packaging/rpm/outpost.spec"
cp "$rpmtop/RPMS/outpost-server-$version-1.$OUTPOST_RPM_ARCH.rpm" \
    "$rpmtop/RPMS/outpost-$version-1.$OUTPOST_RPM_ARCH.rpm" "$out/"

# --- The portable tarball ----------------------------------------------------------------------
echo "== tarball"
name=outpost-$version-linux-$OUTPOST_RPM_ARCH
tree=$work/tarball/$name
mkdir -p "$tree/systemd"
for package in outpost-server outpost; do
    (cd "$stage/debian/$package/usr" && tar --exclude=./share/doc --exclude=./lib -cf - .) | tar -xf - -C "$tree"
done
cp "$stage/packaging/tarball/README.md" "$tree/README.md"
cp "$stage/debian/copyright" "$tree/COPYRIGHT"
cp "$stage/packaging/systemd/outpost-server.service" "$stage/packaging/systemd/outpost.env" \
    "$tree/systemd/"
cp "$stage/packaging/systemd/outpost-server.sysusers" "$tree/systemd/outpost-server.sysusers.conf"
cp "$stage/packaging/systemd/outpost-server.tmpfiles" "$tree/systemd/outpost-server.tmpfiles.conf"
chmod -R u+rwX,go+rX,go-w "$tree"
tar --sort=name --format=gnu --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    -C "$work/tarball" -cf - "$name" | gzip -9n >"$out/$name.tar.gz"

# --- Checks ------------------------------------------------------------------------------------
bash "$(dirname "$0")/check-packages.sh" "$work" "$out"

echo "== packages in $out"
ls -l "$out"
