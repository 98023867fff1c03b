#!/usr/bin/env bash
# Checks the compose stack offline: `docker-compose config` parses compose.yaml with
# .env.example, resolves every variable and validates it against the Compose specification's
# schema (an unknown key such as `helthcheck:` is an error, as is a secret, volume or network
# that is used but not declared); then `nginx -t` parses packaging/nginx/outpost-compose.conf
# inside a minimal nginx.conf, the replicas' names pointed at loopback. Starts no container,
# touches only 127.0.0.1. `make lint-deploy` runs it; tests/deploy checks that it catches a typo.
#   packaging/compose/check.sh [COMPOSE_FILE]      a copy of compose.yaml to check instead
#   COMPOSE="docker compose" NGINX=/path/to/nginx packaging/compose/check.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
file=${1:-$here/compose.yaml}
read -r -a compose <<<"${COMPOSE:-docker-compose}"
nginx=${NGINX:-/usr/sbin/nginx}
command -v "${compose[0]}" >/dev/null || { echo "check: ${compose[0]} not found (make lint-deploy installs it)" >&2; exit 2; }
[[ -x $nginx ]] || { echo "check: nginx not found at $nginx" >&2; exit 2; }

# Relative paths in the file (./secrets, ../nginx) are relative to packaging/compose. The
# secret files need not exist for this check.
"${compose[@]}" --project-directory "$here" --env-file "$here/.env.example" -f "$file" config -q
echo "ok: $(basename "$file") is valid for ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || echo '?'))"

work=$(mktemp -d "${TMPDIR:-/tmp}/outpost-compose-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
conf=$here/../nginx/outpost-compose.conf
sed -e 's|server outpost-1:8080|server 127.0.0.1:18091|' -e 's|server outpost-2:8080|server 127.0.0.1:18092|' \
    -e 's|listen 8080;|listen 127.0.0.1:18090;|' -e "s|/dev/stdout|$work/access.log|" \
    "$conf" >"$work/outpost-compose.conf"
if grep -nE '^\s*(listen|server)\s+[^{ ]' "$work/outpost-compose.conf" | grep -v '127\.0\.0\.1'; then
    echo "check: a listen or server line above was not moved to loopback; update this script" >&2
    exit 1
fi
# shellcheck source=packaging/nginx/parse.sh
. "$here/../nginx/parse.sh"
nginx_parses "$nginx" "$work" "$work/outpost-compose.conf" packaging/nginx/outpost-compose.conf
