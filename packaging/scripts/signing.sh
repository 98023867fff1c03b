# Shared by sign-release.sh and build-container.sh: the release signing key in a temporary
# GNUPGHOME, deleted when the script exits.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
#
# signing_setup NAME: imports OUTPOST_SIGNING_KEY_FILE (an armored secret key;
# OUTPOST_SIGNING_KEY_PASSPHRASE_FILE if it has a passphrase), or makes a throwaway key when
# none is given, into a new GNUPGHOME; sets `fingerprint` and `throwaway` (1 for a throwaway
# key), and installs an EXIT trap that removes GNUPGHOME. NAME names the temporary directory.
# signing_banner: says in capitals when the key is a throwaway one.

signing_cleanup() {
    gpgconf --kill all >/dev/null 2>&1 || true
    rm -rf "$GNUPGHOME"
}

signing_setup() {
    GNUPGHOME=$(mktemp -d "${TMPDIR:-/tmp}/outpost-$1-gnupg.XXXXXX")
    export GNUPGHOME
    trap signing_cleanup EXIT
    chmod 700 "$GNUPGHOME"
    {
        echo "batch"
        echo "no-tty"
        echo "pinentry-mode loopback"
        # debsigs signs with --openpgp, which picks SHA-1 unless told otherwise; gpg and
        # debsig-verify reject SHA-1 signatures.
        echo "digest-algo SHA512"
        if [ -n "${OUTPOST_SIGNING_KEY_PASSPHRASE_FILE:-}" ]; then
            echo "passphrase-file $(readlink -f "$OUTPOST_SIGNING_KEY_PASSPHRASE_FILE")"
        fi
    } >"$GNUPGHOME/gpg.conf"

    throwaway=0
    if [ -n "${OUTPOST_SIGNING_KEY_FILE:-}" ]; then
        [ -r "$OUTPOST_SIGNING_KEY_FILE" ] || die "cannot read OUTPOST_SIGNING_KEY_FILE"
        gpg --quiet --import "$OUTPOST_SIGNING_KEY_FILE"
    else
        throwaway=1
        gpg --quiet --passphrase '' --quick-gen-key \
            "Outpost throwaway release key <release@outpost.invalid>" rsa3072 sign never
    fi
    fingerprint=$(gpg --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print $10; exit }')
    [ -n "$fingerprint" ] || die "no secret key to sign with"
}

signing_banner() {
    if [ "$throwaway" -eq 1 ]; then
        echo "********************************************************************************"
        echo "THIS RELEASE IS SIGNED WITH A THROWAWAY KEY, DELETED WHEN THIS RUN ENDS: NOBODY"
        echo "CAN VERIFY IT AGAINST A KNOWN KEY. DO NOT PUBLISH IT. SET OUTPOST_SIGNING_KEY_FILE"
        echo "TO SIGN WITH THE RELEASE KEY."
        echo "********************************************************************************"
    fi
}
