#!/usr/bin/env bash
# README command 1, the main job: install what is needed, build, and reproduce the papers' tables and figures:
# every notebook in notebooks/ is executed headlessly through the taulab kernel, the executed notebooks, their
# HTML and out/report/index.html are written, and "claims reproduced: N of M" is printed with one line per claim.
# Extra arguments go to `taulab reproduce` (e.g. --quick, --only 01-cart). `bin/taulab demo` is the former demo.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bin/taulab reproduce "$@"
