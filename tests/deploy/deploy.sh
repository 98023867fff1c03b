#!/usr/bin/env bash
# The deployment checks of `make lint-deploy`, and proof that they catch mistakes:
#   deploy.sh kubernetes        both overlays render, validate and keep the policy
#                               (tests/deploy/policy.mjs: probes, hardening, secrets as files...)
#   deploy.sh kubernetes-typo   `protocl:` in the base fails both overlays; a typo in the
#                               scaled overlay's own file fails that overlay alone; a dropped
#                               readOnlyRootFilesystem fails the policy
#   deploy.sh compose           compose.yaml and its nginx config pass, and keep the policy
#   deploy.sh compose-typo      `helthcheck:`, an undeclared volume or an undefined service fails
# Exit 77 (skipped) when a tool the check needs is not installed (make lint-deploy installs
# them all).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case_name=${1:?usage: deploy.sh kubernetes|kubernetes-typo|compose|compose-typo}

need() {
    command -v "$1" >/dev/null || { echo "SKIP: $1 is not installed (make lint-deploy installs it)"; exit 77; }
}

work=$(mktemp -d "${TMPDIR:-/tmp}/outpost-deploy-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

# show_expected LOG: a check's output when it failed as it should.
show_expected() {
    sed 's/^/  expected failure | /' "$1"
}

# expect_in LOG PATTERN...: the check's output has each PATTERN.
expect_in() {
    local log=$1
    shift
    for pattern in "$@"; do
        grep -qF -- "$pattern" "$log" || { echo "FAIL: expected \"$pattern\" in:"; cat "$log"; exit 1; }
    done
}

# planted FILE PATTERN: the mistake the test planted matches PATTERN exactly once in FILE.
planted() {
    [[ $(grep -c -- "$2" "$1") -eq 1 ]] || { echo "FAIL: the test could not plant $2 in $1"; exit 1; }
}

# fails_as_expected WHAT COMMAND...: COMMAND must fail; its output is then shown and kept in
# $work/log for expect_in.
fails_as_expected() {
    local what=$1
    shift
    if "$@" >"$work/log" 2>&1; then
        cat "$work/log"
        echo "FAIL: $what passed"
        exit 1
    fi
    show_expected "$work/log"
}

# policy DIR OVERLAY: the overlay of DIR (a packaging/kubernetes) keeps tests/deploy/policy.mjs.
policy() {
    "${KUBECTL:-kubectl}" kustomize "$1/overlays/$2" 2>/dev/null >"$work/rendered-$2.yaml"
    node "$repo/tests/deploy/policy.mjs" "kubernetes-$2" "$work/rendered-$2.yaml"
}

read -r -a compose <<<"${COMPOSE:-docker-compose}"

case $case_name in
kubernetes | kubernetes-typo)
    need "${KUBECTL:-kubectl}"
    need node
    [[ -d $repo/tools/node_modules/kubernetes-types ]] ||
        { echo "SKIP: tools/node_modules lacks kubernetes-types (make lint-deploy installs it)"; exit 77; }
    ;;
compose | compose-typo)
    need "${compose[0]}"
    [[ -x ${NGINX:-/usr/sbin/nginx} ]] || { echo "SKIP: nginx is not installed"; exit 77; }
    ;;
*)
    echo "unknown case $case_name" >&2
    exit 2
    ;;
esac

case $case_name in
kubernetes)
    bash "$repo/packaging/kubernetes/check.sh" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
    cat "$work/log"
    expect_in "$work/log" "overlays/single: ok: " "overlays/scaled: ok: " \
        "PersistentVolumeClaim/outpost-data" "HorizontalPodAutoscaler/outpost" \
        "PodDisruptionBudget/outpost" "NetworkPolicy/outpost"
    for overlay in single scaled; do
        policy "$repo/packaging/kubernetes" "$overlay" || exit 1
    done
    ;;
kubernetes-typo)
    cp -r "$repo/packaging/kubernetes" "$work/base-typo"
    sed -i 's/^      protocol: TCP$/      protocl: TCP/' "$work/base-typo/base/service.yaml"
    planted "$work/base-typo/base/service.yaml" 'protocl:'
    fails_as_expected "protocl: in base/service.yaml" bash "$repo/packaging/kubernetes/check.sh" "$work/base-typo"
    expect_in "$work/log" \
        "overlays/single #3 Service/outpost: .spec.ports[0].protocl: Object literal may only specify known properties" \
        "overlays/scaled #3 Service/outpost: .spec.ports[0].protocl:" \
        "FAIL: overlays/single does not validate" "FAIL: overlays/scaled does not validate"

    cp -r "$repo/packaging/kubernetes" "$work/overlay-typo"
    sed -i 's/^  maxUnavailable: 1$/  maxUnavailabe: 1/' "$work/overlay-typo/overlays/scaled/pdb.yaml"
    planted "$work/overlay-typo/overlays/scaled/pdb.yaml" 'maxUnavailabe:'
    fails_as_expected "maxUnavailabe: in overlays/scaled/pdb.yaml" bash "$repo/packaging/kubernetes/check.sh" "$work/overlay-typo"
    expect_in "$work/log" "PodDisruptionBudget/outpost: .spec.maxUnavailabe:" \
        "FAIL: overlays/scaled does not validate" "overlays/single: ok: "

    # Well formed but no longer what the README promises: the schema passes, the policy not.
    cp -r "$repo/packaging/kubernetes" "$work/policy"
    sed -i '/^            readOnlyRootFilesystem: true$/d' "$work/policy/base/deployment.yaml"
    grep -q readOnlyRootFilesystem "$work/policy/base/deployment.yaml" &&
        { echo "FAIL: the test could not remove readOnlyRootFilesystem"; exit 1; }
    bash "$repo/packaging/kubernetes/check.sh" "$work/policy" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
    fails_as_expected "a writable root filesystem (policy)" policy "$work/policy" single
    expect_in "$work/log" "kubernetes-single: readOnlyRootFilesystem: undefined, want true"
    ;;
compose)
    bash "$repo/packaging/compose/check.sh" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
    cat "$work/log"
    expect_in "$work/log" "ok: compose.yaml is valid" "ok: packaging/nginx/outpost-compose.conf parses"
    (cd "$repo/packaging/compose" &&
        "${compose[@]}" --project-directory . --env-file .env.example -f compose.yaml config) >"$work/config.yaml"
    node "$repo/tests/deploy/policy.mjs" compose "$work/config.yaml"
    ;;
compose-typo)
    # The postgres service's healthcheck, and nothing else.
    awk '/^  postgres:$/ { inside = 1 } /^  s3:$/ { inside = 0 }
         inside && /^    healthcheck:$/ { sub("healthcheck", "helthcheck") } { print }' \
        "$repo/packaging/compose/compose.yaml" >"$work/compose.yaml"
    planted "$work/compose.yaml" 'helthcheck:'
    fails_as_expected "helthcheck:" bash "$repo/packaging/compose/check.sh" "$work/compose.yaml"
    expect_in "$work/log" "services.postgres: 'helthcheck'"

    # A misspelt named volume, and a dependency on a service that does not exist.
    sed 's|^      - postgres-data:/var/lib/postgresql/data$|      - postgres-dta:/var/lib/postgresql/data|' \
        "$repo/packaging/compose/compose.yaml" >"$work/compose.yaml"
    planted "$work/compose.yaml" 'postgres-dta:'
    fails_as_expected "an undeclared named volume" bash "$repo/packaging/compose/check.sh" "$work/compose.yaml"
    expect_in "$work/log" 'Named volume "postgres-dta:/var/lib/postgresql/data:rw" is used in service "postgres" but no declaration was found'

    sed 's|^      outpost-2:$|      outpost-3:|' "$repo/packaging/compose/compose.yaml" >"$work/compose.yaml"
    planted "$work/compose.yaml" '^      outpost-3:$'
    fails_as_expected "a dependency on an undefined service" bash "$repo/packaging/compose/check.sh" "$work/compose.yaml"
    expect_in "$work/log" "Service 'nginx' depends on service 'outpost-3' which is undefined"
    ;;
esac
echo "PASS: $case_name"
