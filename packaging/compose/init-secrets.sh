#!/usr/bin/env bash
# Writes the secret files compose.yaml names into ./secrets beside it, each a random value
# (the S3 user names are fixed), and leaves existing files alone, so running it again is safe.
# The directory is 0700: no other user of this host reads them. The files are 0644 because
# compose bind-mounts each file as it is into /run/secrets/, where the containers' own users
# (not root) must read it.
#   packaging/compose/init-secrets.sh          ADMIN_PASSWORD=... to choose the admin's
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$here/secrets
command -v openssl >/dev/null || { echo "init-secrets: openssl not found" >&2; exit 1; }

mkdir -p "$dir"
chmod 0700 "$dir"

# write NAME VALUE: creates secrets/NAME with VALUE unless it exists.
write() {
    local file=$dir/$1
    if [[ -e $file ]]; then
        echo "kept    secrets/$1"
        return
    fi
    printf '%s' "$2" >"$file"
    chmod 0644 "$file"
    echo "created secrets/$1"
}

write db-password "$(openssl rand -hex 24)"
write jwt-secret "$(openssl rand -hex 32)"
write admin-password "${ADMIN_PASSWORD:-$(openssl rand -base64 18)}"
write s3-root-user outpost-root
write s3-root-password "$(openssl rand -hex 24)"
write s3-access-key-id outpost
write s3-secret-access-key "$(openssl rand -hex 24)"
echo "The admin's password (OUTPOST_ADMIN_EMAIL in .env) is in $dir/admin-password."
