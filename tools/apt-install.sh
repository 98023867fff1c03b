#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet, with one
# apt-get call (sudo when not root). An argument COMMAND?PACKAGE installs PACKAGE only when
# COMMAND is not on the PATH (kubectl?kubernetes-client: any kubectl will do).
# Used by every `*-deps` target of the Makefile.
set -euo pipefail

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

wanted=()
for arg in "$@"; do
    if [[ $arg == *'?'* ]]; then
        command -v "${arg%%\?*}" >/dev/null 2>&1 || wanted+=("${arg#*\?}")
    else
        wanted+=("$arg")
    fi
done
[ ${#wanted[@]} -gt 0 ] || exit 0

installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null \
    | awk '$NF == "installed" { print $1 }' || true)
missing=()
for package in "${wanted[@]}"; do
    grep -qxF "$package" <<<"$installed" || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0

echo "Installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
