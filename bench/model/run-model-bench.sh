#!/usr/bin/env bash
# Model speed benchmark: the small model's training step and a ViT-B/32
# forward, each against DJL's dense matmul rate measured in the same run, at 1 and at 2 PyTorch threads.
# Usage: bench/model/run-model-bench.sh [SECONDS_PER_MEASUREMENT]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bin/taulab --version >/dev/null   # builds on first use
CP="$ROOT/kernel-ext/target/classes:$ROOT/kernel-ext/target/lib/*"
OUT="$ROOT/bench/out/model-classes"
mkdir -p "$OUT" bench/results
javac -cp "$CP" -d "$OUT" bench/model/ModelBench.java
{
  for threads in 1 2; do
    echo "== $threads thread(s), $(nproc) cores, $(date -u +%FT%TZ)"
    java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
      -cp "$OUT:$CP" ModelBench "${1:-10}" 2>&1 | grep -v SLF4J
  done
} | tee bench/results/model-bench.txt
