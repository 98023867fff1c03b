#!/usr/bin/env bash
# Screenshots of every view of the desktop app with sample data, on a virtual X display.
# Usage: docs/screenshots/take.sh [path/to/outpost]   (make screenshots)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin_dir="$(dirname "${1:-build/default/bin/outpost}")"
tool="$bin_dir/outpost-screenshots"
[ -x "$tool" ] || { echo "missing $tool: build first" >&2; exit 1; }
# A fixed, neutral look: the Fusion style, English (and German, see below), 96 dpi.
export LANG=C.UTF-8 LC_ALL=C.UTF-8 QT_STYLE_OVERRIDE=Fusion QT_QPA_PLATFORM=xcb
timeout 300 xvfb-run -a -s "-screen 0 1280x800x24 -dpi 96" "$tool" "$here"
# The main views once more in German (<view>-de.png): German words are longer, so this is
# where cut-off texts show.
timeout 300 xvfb-run -a -s "-screen 0 1280x800x24 -dpi 96" "$tool" "$here" --language de
