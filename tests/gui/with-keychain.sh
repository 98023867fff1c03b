#!/bin/sh
# Runs a test inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# in a throw-away HOME. Exit 77 (skipped) when the tools are missing.
command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1 || exit 77
home=$(mktemp -d) || exit 1
trap 'rm -rf "$home"' EXIT
# The daemon makes the "login" collection on first unlock when its directory exists.
mkdir -p "$home/.local/share/keyrings" "$home/.cache"
HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home" OUTPOST_EXPECT_KEYCHAIN=1 \
    dbus-run-session -- sh -c 'printf "outpost-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
