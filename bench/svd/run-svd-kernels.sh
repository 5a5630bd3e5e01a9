#!/usr/bin/env bash
# The leading-k decompositions for one CART matrix, single-threaded (see bench/svd/SvdKernels.java): LAPACK's
# sgesdd and sgesvdx, TauLab's block Krylov TruncatedSvd and randomized subspace iteration, on nu_1 of one
# residual block of the synthetic ViT-B/32 checkpoints (made by bench/gen_vitb32.py if missing).
# Usage: bench/svd/run-svd-kernels.sh [LAYER (default 5)] [REPS (default 5)]; table to bench/results/svd-kernels.txt
#        bench/svd/run-svd-kernels.sh LAYER REPS TOL,TOL,... [BLOCK,BLOCK,...]: krylov alone per stopping tolerance
#        (and minimum block size), to bench/results/svd-settings.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bin/taulab --version >/dev/null   # builds on first use
/usr/bin/python3 bench/gen_vitb32.py bench/out/vitb32 >/dev/null
CP="$ROOT/kernel-ext/target/classes:$ROOT/kernel-ext/target/lib/*"
OUT="$ROOT/bench/out/svd-classes"
mkdir -p "$OUT" bench/results
javac -cp "$CP" -d "$OUT" bench/svd/SvdKernels.java
if [ -n "${3:-}" ]; then
  {
    echo "== krylov stopping tolerances and block sizes, 1 BLAS thread, $(nproc) cores, $(date -u +%FT%TZ), git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    java -Dai.djl.offline=true -Dtaulab.blas.threads=1 -cp "$OUT:$CP" SvdKernels bench/out/vitb32 "${1:-5}" "${2:-5}" "$3" ${4:+"$4"} 2>&1 | grep -v SLF4J
  } | tee bench/results/svd-settings.txt
  exit 0
fi
{
  echo "== svd kernels, 1 BLAS thread, $(nproc) cores, $(date -u +%FT%TZ), git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  java -Dai.djl.offline=true -Dtaulab.blas.threads=1 -cp "$OUT:$CP" SvdKernels bench/out/vitb32 "${1:-5}" "${2:-5}" 2>&1 | grep -v SLF4J
} | tee bench/results/svd-kernels.txt
