#!/usr/bin/env bash
# Release jobs: write the signing key from the repository's secrets to files, or remove them.
#
#   signing-key.sh write   reads OUTPOST_SIGNING_KEY (an armored secret key, required) and
#                          OUTPOST_SIGNING_KEY_PASSPHRASE (optional) from the environment,
#                          writes them to files readable by this user only under RUNNER_TEMP,
#                          and exports OUTPOST_SIGNING_KEY_FILE (and _PASSPHRASE_FILE) to the
#                          job's later steps through GITHUB_ENV, as make release expects.
#   signing-key.sh remove  deletes those files (run it with `if: always()`).
#
# A release is never signed with make release's throwaway key: without the secret it fails.
set -euo pipefail

action=${1:?usage: signing-key.sh write|remove}
dir=${RUNNER_TEMP:?RUNNER_TEMP is not set (this runs in GitHub Actions)}/outpost-signing-key

case $action in
write)
    if [[ -z ${OUTPOST_SIGNING_KEY:-} ]]; then
        echo "::error::The OUTPOST_SIGNING_KEY secret is not set; a release is never signed with a throwaway key."
        exit 1
    fi
    umask 077
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '%s\n' "$OUTPOST_SIGNING_KEY" >"$dir/key.asc"
    echo "OUTPOST_SIGNING_KEY_FILE=$dir/key.asc" >>"${GITHUB_ENV:?}"
    if [[ -n ${OUTPOST_SIGNING_KEY_PASSPHRASE:-} ]]; then
        printf '%s\n' "$OUTPOST_SIGNING_KEY_PASSPHRASE" >"$dir/passphrase"
        echo "OUTPOST_SIGNING_KEY_PASSPHRASE_FILE=$dir/passphrase" >>"$GITHUB_ENV"
    fi
    ;;
remove)
    rm -rf "$dir"
    ;;
*)
    echo "usage: signing-key.sh write|remove" >&2
    exit 2
    ;;
esac
