#!/usr/bin/env bash
# Learned-merging speed benchmark: one DV-BASI epoch on mini8 against the plain
# forward+backward passes of the same encoder on the same batches, in one JVM (alternated, min of REPEATS),
# then each alone in its own JVM for its peak memory. Usage: bench/learn/run-learn-bench.sh [REPEATS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bin/taulab --version >/dev/null   # builds on first use
CP="$ROOT/kernel-ext/target/classes:$ROOT/kernel-ext/target/lib/*"
OUT="$ROOT/bench/out/learn-classes"
mkdir -p "$OUT" bench/results
javac -cp "$CP" -d "$OUT" bench/learn/LearnBench.java bench/model/ModelBench.java
run() { java -Dai.djl.offline=true -Dtaulab.home="$ROOT" -cp "$OUT:$CP" LearnBench "$@" 2>&1 | grep -v SLF4J; }
{
  echo "== $(nproc) cores, $(date -u +%FT%TZ)"
  run "${1:-3}" both
  echo "-- DV-BASI alone:"; run 1 ours | grep -E "peak RSS"
  echo "-- plain alone:"; run 1 plain | grep -E "peak RSS"
} | tee bench/results/learn-bench.txt
