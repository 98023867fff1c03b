#!/usr/bin/env bash
# Checks that packaging/nginx/outpost.conf parses: wraps it in a minimal nginx.conf
# (events {} and http { include ... }), points its certificate and log paths at a temporary
# directory with a throwaway self-signed certificate, and runs `nginx -t` there. Needs no
# root; touches only 127.0.0.1 / [::1].
#   packaging/nginx/check.sh        NGINX=/path/to/nginx to use another binary
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
nginx=${NGINX:-/usr/sbin/nginx}
[[ -x $nginx ]] || { echo "check: nginx not found at $nginx" >&2; exit 1; }
command -v openssl >/dev/null || { echo "check: openssl not found" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/outpost-nginx-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=outpost.example.com \
    -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null

# `nginx -t` binds the listen addresses for a moment: move them to high ports on loopback
# (it tolerates a port in use, not one it may not bind).
ipv6_loopback='[::1]'
[[ -s /proc/net/if_inet6 ]] || ipv6_loopback='127.0.0.1'
sed -e "s|/etc/ssl/outpost/|$work/|g" -e "s|/var/log/nginx/|$work/|g" \
    -e "s|listen 80;|listen 127.0.0.1:18080;|" -e "s|listen \\[::\\]:80;|listen $ipv6_loopback:18081;|" \
    -e "s|listen 443 |listen 127.0.0.1:18443 |" -e "s|listen \\[::\\]:443 |listen $ipv6_loopback:18444 |" \
    "$here/outpost.conf" >"$work/outpost.conf"
if grep -nE '^\s*listen' "$work/outpost.conf" | grep -vE '127\.0\.0\.1|\[::1\]'; then
    echo "check: a listen line above was not moved to loopback; update this script" >&2
    exit 1
fi

# shellcheck source=packaging/nginx/parse.sh
. "$here/parse.sh"
nginx_parses "$nginx" "$work" "$work/outpost.conf" packaging/nginx/outpost.conf
