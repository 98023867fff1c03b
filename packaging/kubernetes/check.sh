#!/usr/bin/env bash
# Renders every overlay under packaging/kubernetes/overlays with `kubectl kustomize` and
# validates each rendered object strictly against the Kubernetes 1.30 API schema, offline
# (validate.mjs: unknown fields, wrong types and unknown kinds are errors). `make lint-deploy`
# runs it; tests/deploy checks that it catches a typo.
#   packaging/kubernetes/check.sh [DIR]     DIR: a copy of packaging/kubernetes to check instead
#   KUBECTL=/path/to/kubectl packaging/kubernetes/check.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=${1:-$here}
kubectl=${KUBECTL:-kubectl}
command -v "$kubectl" >/dev/null || { echo "check: $kubectl not found (make lint-deploy installs it)" >&2; exit 2; }
command -v node >/dev/null || { echo "check: node not found" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/outpost-kube-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

overlays=()
for dir in "$root"/overlays/*/; do
    [[ -f $dir/kustomization.yaml ]] && overlays+=("$(basename "$dir")")
done
[[ ${#overlays[@]} -gt 0 ]] || { echo "check: no overlays under $root/overlays" >&2; exit 2; }

status=0
for overlay in "${overlays[@]}"; do
    if ! "$kubectl" kustomize "$root/overlays/$overlay" >"$work/$overlay.yaml" 2>"$work/$overlay.err"; then
        cat "$work/$overlay.err" >&2
        echo "FAIL: overlays/$overlay does not render" >&2
        status=1
        continue
    fi
    # kustomize v5 warns that `bases` and `patchesStrategicMerge` are deprecated; they are
    # kept on purpose (base/kustomization.yaml says why). Anything else it says is shown.
    grep -vE "^# Warning: '(bases|patchesStrategicMerge)' is deprecated" "$work/$overlay.err" >&2 || true
    if out=$(node "$here/validate.mjs" "$work/$overlay.yaml" 2>&1); then
        echo "overlays/$overlay: $out"
    else
        printf '%s\n' "${out//"$work/$overlay.yaml"/overlays/$overlay}" >&2
        echo "FAIL: overlays/$overlay does not validate" >&2
        status=1
    fi
done
version=$("$kubectl" version --client 2>/dev/null | grep -oE 'v[0-9]+\.[0-9]+\.[0-9]+' | head -1 || true)
[[ $status -eq 0 ]] && echo "ok: overlays ${overlays[*]} render (kubectl ${version:-?}) and validate"
exit $status
