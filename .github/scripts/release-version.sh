#!/usr/bin/env bash
# The version a release tag stands for, checked against the CMake project version:
#   release-version.sh TAG     prints X.Y.Z when TAG is vX.Y.Z and CMakeLists.txt says
#                              project(Outpost VERSION X.Y.Z ...); fails otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."

tag=${1:?usage: release-version.sh TAG}
version=$(sed -nE 's/^project\(Outpost VERSION ([0-9]+\.[0-9]+\.[0-9]+)[ )].*/\1/p' CMakeLists.txt)
if [[ -z $version ]]; then
    echo "release-version: no project(Outpost VERSION X.Y.Z ...) line in CMakeLists.txt" >&2
    exit 1
fi
if [[ $tag != "v$version" ]]; then
    echo "release-version: the tag $tag does not match the CMake project version $version" \
        "(tag v$version, or change project(... VERSION) first)" >&2
    exit 1
fi
echo "$version"
