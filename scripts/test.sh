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
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_kernel_conformance.py'
/usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_notebook.py'
