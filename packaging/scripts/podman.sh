# Shared by build-container.sh and the container tests: how podman runs here.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
#
# `podman` below is podman with these settings, from the environment:
#   OUTPOST_PODMAN_ROOT, OUTPOST_PODMAN_RUNROOT  storage of its own (the tests keep theirs in the
#                                                build tree); unset: podman's usual storage. The
#                                                run root must be a short path (podman refuses
#                                                more than 50 characters): by default one in /tmp
#                                                named after the root
#   OUTPOST_CONTAINER_RUNTIME                    the OCI runtime (default runc)
# It needs no systemd: cgroupfs, and events in a file. `podman_run_args` holds what every
# `podman run` here needs: open-files and process limits this host allows. Without
# systemd, podman logs an error for the timer of the image's HEALTHCHECK and runs the container
# all the same; `podman healthcheck run` runs the check on demand.

OUTPOST_CONTAINER_RUNTIME=${OUTPOST_CONTAINER_RUNTIME:-runc}

podman_global_args=(--cgroup-manager=cgroupfs --events-backend=file
    --runtime "$OUTPOST_CONTAINER_RUNTIME")
if [ -n "${OUTPOST_PODMAN_ROOT:-}" ]; then
    if [ -z "${OUTPOST_PODMAN_RUNROOT:-}" ]; then
        OUTPOST_PODMAN_RUNROOT=/tmp/outpost-podman-$(printf '%s' "$OUTPOST_PODMAN_ROOT" \
            | sha256sum | cut -c1-12)
    fi
    podman_global_args+=(--root "$OUTPOST_PODMAN_ROOT" --runroot "$OUTPOST_PODMAN_RUNROOT"
        --tmpdir "$OUTPOST_PODMAN_RUNROOT/libpod" --storage-driver overlay)
fi

podman() { command podman "${podman_global_args[@]}" "$@"; }

# The limits asked for are never above the host's hard limits (podman's defaults may be, and the
# runtime then cannot set them without CAP_SYS_RESOURCE). Processes: at most 32768, as podman
# starts conmon, the container's parent, with no more than that.
limit() { # CURRENT_HARD_LIMIT MAX
    if [ "$1" = unlimited ] || [ "$1" -gt "$2" ]; then echo "$2"; else echo "$1"; fi
}
nofile_limit=$(limit "$(ulimit -Hn)" 65536)
nproc_limit=$(limit "$(ulimit -Hu)" 32768)
podman_run_args=(--ulimit "nofile=$nofile_limit:$nofile_limit"
    --ulimit "nproc=$nproc_limit:$nproc_limit")
