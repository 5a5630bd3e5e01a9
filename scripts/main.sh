#!/usr/bin/env bash
# README command 1, the main job: install what is needed, build, and run the demo merge on generated
# CLIP-shaped checkpoints, printing a table of what every merge method kept of each task vector.
# (The paper-reproduction notebooks replace this once the benchmark and notebooks exist.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bin/taulab demo "$@"
