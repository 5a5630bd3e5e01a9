#!/usr/bin/env bash
# README command 2: install what is needed, build, and run every test (JUnit through Maven Surefire;
# the Jazzer fuzz test runs its committed seed corpus in regression mode).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
mvn -B verify

# The Jupyter kernel end to end (Debian's /usr/bin/python3: the python3 first on PATH may be another one):
# the jupyter_kernel_test protocol conformance suite, then a notebook executed headlessly by nbclient.
bin/taulab kernel install --user
# The launcher: its class-data-sharing archive is made, used, remade after a build, and optional.
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_launcher.py'
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_kernel_conformance.py'
# Hostile frames on the shell and control ports are dropped; the kernel keeps serving.
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_hostile_frames.py'
# Every line of a large print arrives; a thread's print after its cell ended shows in the next cell, marked.
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_cell_output.py'
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_notebook.py'
# The committed notebooks: run in full, in order, no errors, no machine's paths in them.
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_committed_notebooks.py'
# A new notebook in Jupyter Notebook driven in headless Chromium (Selenium): %maven from the local repository, the
# class in the next cell, a %%tau merge, a table, a chart, an updated display, errors naming their line; out/browser/.
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_notebook_browser.py'

# The main job's quick mode: every notebook in notebooks/ executed headlessly by `bin/taulab reproduce --quick`
# (its own kernelspec under out/report/kernel), then the report opened in headless Chromium: every figure loaded,
# and a screenshot out/report/screenshot.png.
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_reproduce.py'
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_report_browser.py'
