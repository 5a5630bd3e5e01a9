#!/usr/bin/env bash
# Merge-engine benchmark: TauLab (bin/taulab merge) against a Python peer (numpy and torch) and a
# memory-copy bound, on synthetic checkpoints with the shapes of OpenCLIP ViT-B/32's visual tower
# (base + 8 fine-tuned, 87.85 M float32 parameters = 351 MB each).
#
#   bench/run-merge-bench.sh [--quick] [--reps N] [--cart-reps N] [--no-cart] [--no-wait]
#                            [--data DIR] [--results FILE]
#
# Every configuration is run REPS times in the same invocation, interleaved (one round runs each
# configuration once, in an order rotated from round to round), each under `/usr/bin/time -v` for wall
# time and peak resident set size; the summary reports medians. Outputs are checked equal to 1e-4
# relative with bench/compare.py. The table goes to stdout and to bench/results/merge-bench.txt
# (default 3 rounds; --quick: 1 round, written to bench/out/run/merge-bench-quick.txt instead).
# --data DIR is the checkpoint folder (default bench/out/vitb32, made or reused by bench/gen_vitb32.py);
# a folder whose name is "small" is made with gen_vitb32.py --small, for testing the script in seconds.
#
# Configurations
#   memcopy        the memory-copy bound: `cat` of the 9 input files into /dev/null (every input byte
#                  copied once from the page cache into a user buffer by read(2)) followed by `dd` of
#                  one output-sized file from /dev/zero (every output byte copied once into the page
#                  cache by write(2)), both in one timed shell. No arithmetic at all.
#   java-ta        bin/taulab merge task-arithmetic --lambda 0.3 --base B --out O F1..F8
#   peer-ta-*      bench/peer_merge.py task-arithmetic --lambda 0.3 ... --backend numpy|torch
#   java-cart      bin/taulab merge cart --rank-ratio 0.08 --lambda 1.0 --base B --out O F1..F8
#   peer-cart-*    bench/peer_merge.py cart --rank-ratio 0.08 --lambda 1.0 ... --backend numpy|torch
# The peer's time is the faster of its two backends (median vs median).
#
# Conditions: the 9 inputs are read (cat > /dev/null, untimed) right before every measurement, so each
# run starts with them in the page cache (the machine has RAM for all; the re-read matters where a
# proactive reclaimer such as DAMON drops idle page cache); `sync` runs before every measurement so
# that no earlier output is still being written back;
# unless --no-wait, each measurement waits (at most 60 s) until other processes use < 15 % of the CPUs,
# and the CPU use seen just before it starts is recorded with it. JAVA_OPTS from the environment is
# passed through to bin/taulab (recorded in the results).
set -euo pipefail

SELF="$(readlink -f "${BASH_SOURCE[0]}")"
ROOT="$(cd "$(dirname "$SELF")/.." && pwd)"
cd "$ROOT"
BENCH=run-merge-bench
# shellcheck source=lib/measure.sh
. "$ROOT/bench/lib/measure.sh"   # usage, the prerequisite checks, the checkpoints and the timed runs
PY=/usr/bin/python3
REPS=3
CART_REPS=3
DO_CART=1
QUICK=0
WAIT_QUIET=1
DATA="$ROOT/bench/out/vitb32"
RESULTS=""
ARGS_GIVEN="$*"

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) REPS=1; CART_REPS=1; QUICK=1 ;;
    --reps) REPS="$2"; shift ;;
    --cart-reps) CART_REPS="$2"; shift ;;
    --no-cart) DO_CART=0 ;;
    --no-wait) WAIT_QUIET=0 ;;
    --data) DATA="$(readlink -f "$2")"; shift ;;
    --results) RESULTS="$(readlink -m "$2")"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-merge-bench: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$REPS$CART_REPS" in *[!0-9]*) echo "run-merge-bench: --reps/--cart-reps need integers" >&2; exit 2 ;; esac
set_default_results merge-bench
[ "$REPS" -ge 1 ] && [ "$CART_REPS" -ge 1 ] || { echo "run-merge-bench: repetitions must be >= 1" >&2; exit 2; }

# ---------------------------------------------------------------- prerequisites
check_prerequisites 1 numpy torch   # what is missing is installed with apt-get when run as root
warn_reference_lapack "the Python peer's SVD is"

make_work_dirs ""   # bench/out/run/raw.tsv and logs/

echo "== build (bin/taulab --help builds on first use)"
build_taulab bin/taulab
bin/taulab merge --help > /dev/null

load_checkpoints --small-by-name "$DATA"   # a folder named "small" gets the toy size, as in the other two scripts

# ---------------------------------------------------------------- measurement
# run_one LABEL ROUND OUT -- CMD...   (OUT: the output file, removed before the run; '-' for none)
run_one() {
  local label="$1" round="$2" out="$3"; shift 4
  local taulab=-
  [ "$1" = bin/taulab ] && taulab=bin/taulab
  measure "$label" "$LOGDIR/$label.$round" "$round" "$out" "$taulab" -- "$@"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$MEASURED_WALL" "$MEASURED_RSS" "$MEASURED_BUSY" \
    "$MEASURED_BUILD" >> "$RAW"
  printf '   %-16s round %d: %8.2f s  peak RSS %7.1f MiB  (other CPU use before: %s%%)\n' \
    "$label" "$round" "$MEASURED_WALL" "$(mib "$MEASURED_RSS")" "$MEASURED_BUSY"
}

OUT_BYTES=$CKPT_BYTES   # float32 merge of float32 inputs: same tensors, same size (header aside)
cfg_cmd() {  # cfg_cmd CONFIG ROUND -> runs it
  local cfg="$1" r="$2"
  case "$cfg" in
    memcopy)
      run_one memcopy "$r" "$WORK/memcopy.out" -- bash -c \
        'cat "$@" > /dev/null && dd if=/dev/zero of="$0" bs=4M count='"$OUT_BYTES"' iflag=count_bytes status=none' \
        "$WORK/memcopy.out" "$B" "${FTS[@]}" ;;
    java-ta)
      run_one java-ta "$r" "$MERGED/ta-java.safetensors" -- \
        bin/taulab merge task-arithmetic --lambda 0.3 --base "$B" --out "$MERGED/ta-java.safetensors" "${FTS[@]}" ;;
    peer-ta-numpy|peer-ta-torch)
      local be="${cfg#peer-ta-}"
      run_one "$cfg" "$r" "$MERGED/ta-peer-$be.safetensors" -- "$PY" bench/peer_merge.py task-arithmetic \
        --lambda 0.3 --backend "$be" --base "$B" --out "$MERGED/ta-peer-$be.safetensors" "${FTS[@]}" ;;
    java-cart)
      run_one java-cart "$r" "$MERGED/cart-java.safetensors" -- \
        bin/taulab merge cart --rank-ratio 0.08 --lambda 1.0 --base "$B" --out "$MERGED/cart-java.safetensors" "${FTS[@]}" ;;
    peer-cart-numpy|peer-cart-torch)
      local be="${cfg#peer-cart-}"
      run_one "$cfg" "$r" "$MERGED/cart-peer-$be.safetensors" -- "$PY" bench/peer_merge.py cart \
        --rank-ratio 0.08 --lambda 1.0 --backend "$be" --base "$B" --out "$MERGED/cart-peer-$be.safetensors" "${FTS[@]}" ;;
    *) echo "internal: unknown config $cfg" >&2; exit 1 ;;
  esac
}

# rounds: each configuration once per round, order rotated per round
run_rounds() {  # run_rounds N CONFIG...
  local n="$1"; shift
  local r cfg
  for ((r = 1; r <= n; r++)); do
    for cfg in $(rotation "$r" "$@"); do
      cfg_cmd "$cfg" "$r"
    done
  done
}

START_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== task arithmetic: $REPS round(s) of memcopy, java-ta, peer-ta-numpy, peer-ta-torch"
run_rounds "$REPS" memcopy java-ta peer-ta-numpy peer-ta-torch
if [ "$DO_CART" = 1 ]; then
  echo "== CART: $CART_REPS round(s) of java-cart, peer-cart-numpy, peer-cart-torch"
  run_rounds "$CART_REPS" java-cart peer-cart-numpy peer-cart-torch
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== checking outputs (bench/compare.py, rtol 1e-4 relative to max|reference| per tensor)"
CMP="$WORK/compare.txt"
: > "$CMP"
cmp_ok=1
compare_pair() {  # compare_pair A B
  local a="$1" b="$2"
  echo "$(basename "$a") vs $(basename "$b"):" >> "$CMP"
  if ! "$PY" bench/compare.py "$a" "$b" --base "$B" --rtol 1e-4 --quiet >> "$CMP" 2>&1; then cmp_ok=0; fi
}
compare_pair "$MERGED/ta-java.safetensors" "$MERGED/ta-peer-numpy.safetensors"
compare_pair "$MERGED/ta-java.safetensors" "$MERGED/ta-peer-torch.safetensors"
if [ "$DO_CART" = 1 ]; then
  compare_pair "$MERGED/cart-java.safetensors" "$MERGED/cart-peer-numpy.safetensors"
  compare_pair "$MERGED/cart-java.safetensors" "$MERGED/cart-peer-torch.safetensors"
  compare_pair "$MERGED/cart-peer-numpy.safetensors" "$MERGED/cart-peer-torch.safetensors"
fi
sed 's/^/   /' "$CMP"

echo "== summary"
set_machine_desc
"$PY" bench/summarize.py --raw "$RAW" --compare "$CMP" --compare-ok "$cmp_ok" --results "$RESULTS" \
  --ckpt-bytes "$CKPT_BYTES" --reps "$REPS" --cart-reps "$CART_REPS" --cart "$DO_CART" \
  --meta "date=$START_DATE" \
  --meta "command=bench/run-merge-bench.sh${ARGS_GIVEN:+ $ARGS_GIVEN}" \
  --meta "machine=$MACHINE" \
  --meta "java=$(java -version 2>&1 | head -1)" \
  --meta "JAVA_OPTS=${JAVA_OPTS:-(unset)}" \
  --meta "git=$(git_desc ' + uncommitted changes')" \
  --meta "loadavg=before $LOAD_BEFORE, after $LOAD_AFTER" \
  --meta "lapack=$(readlink -f /usr/lib/x86_64-linux-gnu/liblapack.so.3)"
if [ "$cmp_ok" != 1 ]; then
  echo "run-merge-bench: outputs differ beyond 1e-4 relative (see above)" >&2
  exit 1
fi
