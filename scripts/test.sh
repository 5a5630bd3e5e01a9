#!/usr/bin/env bash
# README command 2: install what is needed, build, and run every test (JUnit through Maven Surefire;
# the Jazzer fuzz test runs its committed seed corpus in regression mode).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
mvn -B verify
