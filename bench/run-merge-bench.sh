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
PY=/usr/bin/python3
REPS=3
CART_REPS=3
DO_CART=1
QUICK=0
WAIT_QUIET=1
DATA="$ROOT/bench/out/vitb32"
RESULTS=""
ARGS_GIVEN="$*"

usage() { sed -n '2,/^set -euo/p' "$SELF" | sed '$d' | sed 's/^# \{0,1\}//'; }
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
if [ -z "$RESULTS" ]; then  # a --quick run does not overwrite the committed results
  if [ "$QUICK" = 1 ]; then RESULTS="$ROOT/bench/out/run/merge-bench-quick.txt"; else RESULTS="$ROOT/bench/results/merge-bench.txt"; fi
fi
[ "$REPS" -ge 1 ] && [ "$CART_REPS" -ge 1 ] || { echo "run-merge-bench: repetitions must be >= 1" >&2; exit 2; }

# ---------------------------------------------------------------- prerequisites
missing=()
[ -x /usr/bin/time ] || missing+=(time)
"$PY" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
"$PY" -c 'import torch' 2>/dev/null || missing+=(python3-torch)
if [ ${#missing[@]} -gt 0 ]; then
  echo "run-merge-bench: missing Debian packages: ${missing[*]}" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "run-merge-bench: installing them with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  else
    echo "run-merge-bench: install them (apt-get install -y ${missing[*]}) and run again" >&2
    exit 1
  fi
fi
# Debian's numpy and torch link the generic liblapack.so.3; unless an optimised provider is installed
# (libopenblas0-pthread), that is the reference LAPACK and the peer's SVD is several times slower.
case "$(readlink -f /usr/lib/x86_64-linux-gnu/liblapack.so.3 2>/dev/null)" in
  *openblas*|*blis*|*mkl*) ;;
  *) echo "run-merge-bench: warning: liblapack.so.3 is the reference LAPACK, so the Python peer's SVD is" \
          "unfairly slow; install libopenblas0-pthread for an honest peer" >&2 ;;
esac

WORK="$ROOT/bench/out/run"
MERGED="$ROOT/bench/out/merged"
mkdir -p "$WORK" "$MERGED" "$(dirname "$RESULTS")"
RAW="$WORK/raw.tsv"
LOGDIR="$WORK/logs"
rm -rf "$LOGDIR"; mkdir -p "$LOGDIR"
: > "$RAW"

echo "== build (bin/taulab --help builds on first use)"
bin/taulab --help > "$LOGDIR/taulab-help.txt" 2> "$LOGDIR/taulab-build.err" || {
  cat "$LOGDIR/taulab-build.err" >&2; echo "run-merge-bench: bin/taulab --help failed" >&2; exit 1; }
bin/taulab merge --help > /dev/null

echo "== checkpoints ($DATA)"
"$PY" bench/gen_vitb32.py "$DATA"
B="$DATA/base.safetensors"
FTS=()
for t in 1 2 3 4 5 6 7 8; do FTS+=("$DATA/ft$t.safetensors"); done
CKPT_BYTES=$(stat -c %s "$B")
echo "== warming the page cache (reading the 9 inputs once)"
cat "$B" "${FTS[@]}" > /dev/null

# ---------------------------------------------------------------- measurement
cpu_busy_other() {  # fraction of all CPUs busy over 1 s (we are idle meanwhile)
  local a1 a2 a3 a4 a5 a6 a7 a8 b1 b2 b3 b4 b5 b6 b7 b8
  read -r _ a1 a2 a3 a4 a5 a6 a7 a8 _ < /proc/stat
  sleep 1
  read -r _ b1 b2 b3 b4 b5 b6 b7 b8 _ < /proc/stat
  local busy=$(( (b1-a1)+(b2-a2)+(b3-a3)+(b6-a6)+(b7-a7)+(b8-a8) ))
  local idle=$(( (b4-a4)+(b5-a5) ))
  local tot=$(( busy + idle ))
  [ "$tot" -gt 0 ] || tot=1
  echo $(( 100 * busy / tot ))
}

wait_quiet() {
  local busy waited=0
  busy=$(cpu_busy_other)
  if [ "$WAIT_QUIET" = 1 ]; then
    while [ "$busy" -ge 15 ] && [ "$waited" -lt 60 ]; do
      sleep 4; waited=$((waited + 5)); busy=$(cpu_busy_other)
    done
  fi
  echo "$busy"
}

# run_one LABEL ROUND OUT -- CMD...   (OUT: the output file, removed before the run; '-' for none)
run_one() {
  local label="$1" round="$2" out="$3"; shift 4
  local tries=0 log rc busy build=-
  log="$LOGDIR/$label.$round"
  while :; do
    tries=$((tries + 1))
    if [ "$tries" -gt 8 ]; then
      echo "run-merge-bench: $label (round $round): bin/taulab rebuilt itself on every try (its sources keep" \
           "changing); giving up" >&2
      exit 1
    fi
    if [ "$1" = bin/taulab ]; then
      # bin/taulab rebuilds itself (mvn) when its sources changed since the last build; do that untimed.
      if ! bin/taulab --help > /dev/null 2> "$log.build"; then
        echo "   ($label round $round: bin/taulab does not build right now (sources being edited?); retrying in 30 s)"
        sleep 30
        continue
      fi
      build=$(stat -c %Y kernel-ext/target/.taulab-built 2>/dev/null || echo -)
    fi
    [ "$out" = - ] || rm -f "$out" "$out.tmp"
    sync
    busy=$(wait_quiet)
    cat "$B" "${FTS[@]}" > /dev/null   # re-warm: this VM's DAMON evicts page-cache pages idle for ~30 s
    set +e
    /usr/bin/time -v -o "$log.time" "$@" > "$log.out" 2> "$log.err"
    rc=$?
    set -e
    # A rebuild inside the timed run (sources changed in between) is not a merge timing: repeat it.
    if grep -q '^taulab: building' "$log.err"; then
      echo "   ($label round $round: bin/taulab rebuilt itself during the timed run; repeating it)"
      continue
    fi
    if [ "$rc" -ne 0 ]; then
      echo "run-merge-bench: $label (round $round) failed with exit $rc:" >&2
      echo "  command: $*" >&2
      tail -20 "$log.err" >&2
      exit 1
    fi
    break
  done
  local wall rss
  wall=$("$PY" bench/summarize.py --parse-time "$log.time" wall)
  rss=$("$PY" bench/summarize.py --parse-time "$log.time" rss_kb)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$wall" "$rss" "$busy" "$build" >> "$RAW"
  printf '   %-16s round %d: %8.2f s  peak RSS %7.1f MiB  (other CPU use before: %s%%)\n' \
    "$label" "$round" "$wall" "$(echo "$rss" | awk '{print $1/1024}')" "$busy"
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
  local cfgs=("$@") k=$# r i
  for ((r = 1; r <= n; r++)); do
    for ((i = 0; i < k; i++)); do
      cfg_cmd "${cfgs[$(( (i + r - 1) % k ))]}" "$r"
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
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM_TOTAL=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
"$PY" bench/summarize.py --raw "$RAW" --compare "$CMP" --compare-ok "$cmp_ok" --results "$RESULTS" \
  --ckpt-bytes "$CKPT_BYTES" --reps "$REPS" --cart-reps "$CART_REPS" --cart "$DO_CART" \
  --meta "date=$START_DATE" \
  --meta "command=bench/run-merge-bench.sh${ARGS_GIVEN:+ $ARGS_GIVEN}" \
  --meta "machine=$CPU_MODEL, $(nproc) CPUs, $MEM_TOTAL RAM, $(uname -sr)" \
  --meta "java=$(java -version 2>&1 | head -1)" \
  --meta "JAVA_OPTS=${JAVA_OPTS:-(unset)}" \
  --meta "git=$(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- dsl kernel-ext 2>/dev/null || echo ' + uncommitted changes')" \
  --meta "loadavg=before $LOAD_BEFORE, after $LOAD_AFTER" \
  --meta "lapack=$(readlink -f /usr/lib/x86_64-linux-gnu/liblapack.so.3)"
if [ "$cmp_ok" != 1 ]; then
  echo "run-merge-bench: outputs differ beyond 1e-4 relative (see above)" >&2
  exit 1
fi
