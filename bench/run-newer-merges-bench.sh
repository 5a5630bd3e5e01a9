#!/usr/bin/env bash
# Benchmark of the newer merge methods: TauLab (`bin/taulab merge METHOD`) against an independent numpy
# peer (bench/peer_newer.py, written from the methods' definitions), on the synthetic OpenCLIP ViT-B/32
# visual-tower checkpoints of bench/gen_vitb32.py (base + 8 fine-tuned, 351 MB each).
#
#   bench/run-newer-merges-bench.sh [--reps N] [--quick] [--methods a,b,...] [--data DIR]
#                                   [--results FILE] [--no-wait]
#
#   --reps N        rounds per method (default 3); each round runs TauLab and the peer once each,
#                   interleaved (TauLab first in odd rounds, the peer first in even ones)
#   --quick         1 round, and the table goes to bench/out/run/newer-merges-bench-quick.txt
#                   (the committed bench/results/newer-merges-bench.txt is left alone)
#   --methods LIST  comma-separated subset of: iso-c,iso-cts,breadcrumbs,magmax,emr,wudi (default all)
#   --data DIR      checkpoint folder (default bench/out/vitb32; made or reused by bench/gen_vitb32.py;
#                   a folder whose name is "small" is made with gen_vitb32.py --small, for testing)
#   --results FILE  where the table goes (default bench/results/newer-merges-bench.txt)
#   --no-wait       do not wait for other processes to leave the CPUs before each measurement
#
# Environment: TAULAB overrides the TauLab command (default bin/taulab; e.g. TAULAB=/path/runner.sh
# for a prebuilt snapshot taking the same arguments); JAVA_OPTS is passed through (and recorded).
#
# Methods and the parameters both sides get (the methods' defaults, written out):
#   iso-c        --lambda 1.0
#   iso-cts      --lambda 1.0 --common 0.8
#   breadcrumbs  --density 0.1 --beta 0.01 --lambda 0.3
#   magmax       --lambda 1.0
#   emr          --task ft1 --lambda 1.0          (the model of the first task)
#   wudi         --exact --lambda 1.0             (the closed form; the Adam descent is not benchmarked)
#
# Every run is timed under `/usr/bin/time -v` (wall time, peak RSS); the table reports medians over the
# rounds. Before each measurement: `sync` (no earlier output still being written back), a wait (up to 60 s,
# unless --no-wait) until other processes use < 15 % of the CPUs (recorded), and a re-read of the 9 inputs
# (cat > /dev/null) so that each run starts with them in the page cache. When TAULAB is bin/taulab, its
# self-rebuild (sources changed) is done untimed by a `bin/taulab --help` first, and a timed run that
# rebuilt anyway is repeated; the `--help` before every timed TauLab run also keeps JVM start-up
# artefacts (class-data archive) out of the timing.
#
# Agreement: each method's TauLab output is checked against the peer's with bench/compare.py: per tensor
# max|java - numpy| / max|numpy| <= rtol (1e-4) AND max|java - numpy| / max|numpy - base| <= 1e-3. The
# second test matters because a merged tensor is dominated by theta_pre: on these checkpoints the merge
# delta is ~0.3 % of max|theta|, so rtol 1e-4 alone would let ~3 % of the delta differ. Rounding the
# float32 output theta_pre + delta alone costs up to ~3e-5 of the delta (one ulp of theta), so 1e-3 is 30x
# that floor. The tolerances are the same for all methods (see RTOL/DRTOL below for the reasoning about
# iso-cts and wudi). A disagreement makes the script exit 1 after writing the table.
set -euo pipefail

SELF="$(readlink -f "${BASH_SOURCE[0]}")"
ROOT="$(cd "$(dirname "$SELF")/.." && pwd)"
cd "$ROOT"
BENCH=run-newer-merges-bench
# shellcheck source=lib/measure.sh
. "$ROOT/bench/lib/measure.sh"   # usage, need_arg, the prerequisite checks, the checkpoints and the timed runs
PY=/usr/bin/python3
TAULAB="${TAULAB:-bin/taulab}"
ALL_METHODS="iso-c,iso-cts,breadcrumbs,magmax,emr,wudi"
REPS=3
QUICK=0
WAIT_QUIET=1
METHODS="$ALL_METHODS"
DATA="$ROOT/bench/out/vitb32"
RESULTS=""
ARGS_GIVEN="$*"

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) REPS=1; QUICK=1 ;;
    --reps) need_arg "$@"; REPS="$2"; shift ;;
    --methods) need_arg "$@"; METHODS="$2"; shift ;;
    --data) need_arg "$@"; DATA="$(readlink -m "$2")"; shift ;;
    --results) need_arg "$@"; RESULTS="$(readlink -m "$2")"; shift ;;
    --no-wait) WAIT_QUIET=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-newer-merges-bench: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$REPS" in ''|*[!0-9]*) echo "run-newer-merges-bench: --reps needs a whole number" >&2; exit 2 ;; esac
[ "$REPS" -ge 1 ] || { echo "run-newer-merges-bench: --reps must be >= 1" >&2; exit 2; }
parse_methods
set_default_results newer-merges-bench

# ---------------------------------------------------------------- method parameters and tolerances
method_args() {  # the options both sides get
  case "$1" in
    iso-c) echo "--lambda 1.0" ;;
    iso-cts) echo "--lambda 1.0 --common 0.8" ;;
    breadcrumbs) echo "--density 0.1 --beta 0.01 --lambda 0.3" ;;
    magmax) echo "--lambda 1.0" ;;
    emr) echo "--task ft1 --lambda 1.0" ;;
    wudi) echo "--exact --lambda 1.0" ;;
  esac
}
# rtol (relative to max|theta|) and delta rtol (relative to max|delta|), per method. They are the same for
# every method on purpose. iso-cts and wudi could in principle need more: Iso-CTS's output depends on
# singular vectors (sign-free only because u_j and v_j flip together, and through two polar factors whose
# conditioning depends on how independent the tasks' directions are), and WUDI's closed form divides by
# the eigenvalues of G = sum_t tau_t^T tau_t / ||tau_t||^2 computed in float32. But on the --small data
# both agree with the peer to the same ~3e-5 of the delta (one output ulp) as iso-c, and the peer's --f64
# mode (all linear algebra in float64) moves them by no more than that, i.e. conditioning costs nothing
# measurable there. So no method gets a looser tolerance: if one fails, that is a finding to look at
# (run the peer with --f64 to tell float32 conditioning from a real disagreement), not a tolerance to raise.
rtol_for() { echo 1e-4; }
drtol_for() { echo 1e-3; }

# ---------------------------------------------------------------- prerequisites
check_prerequisites 0 numpy   # what is missing is named, not installed
warn_reference_lapack "the numpy peer's SVD and eigh are"

make_work_dirs newer-
CMP="$WORK/newer-compare.txt"
: > "$CMP"

echo "== TauLab: $TAULAB (--help first: builds on first use)"
build_taulab "$TAULAB"
for m in "${METHOD_LIST[@]}"; do
  $TAULAB merge "$m" --help > /dev/null 2>&1 || {
    echo "run-newer-merges-bench: $TAULAB merge $m --help failed (does this TauLab have '$m'?)" >&2; exit 1; }
done

load_checkpoints --small-by-name "$DATA"

# ---------------------------------------------------------------- measurement
# run_one METHOD SIDE ROUND OUT -- CMD...   (SIDE java|numpy; OUT removed before the run)
run_one() {
  local method="$1" side="$2" round="$3" out="$4"; shift 5
  local taulab=-
  [ "$side" = java ] && taulab="$TAULAB"
  measure "$method/$side" "$LOGDIR/$method-$side.$round" "$round" "$out" "$taulab" -- "$@"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$method" "$side" "$round" "$MEASURED_WALL" "$MEASURED_RSS" \
    "$MEASURED_BUSY" "$MEASURED_BUILD" >> "$RAW"
  printf '   %-12s %-6s round %d: %8.2f s  peak RSS %8.1f MiB  (other CPU use before: %s%%)\n' \
    "$method" "$side" "$round" "$MEASURED_WALL" "$(mib "$MEASURED_RSS")" "$MEASURED_BUSY"
}

START_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
cmp_ok=1
for m in "${METHOD_LIST[@]}"; do
  read -r -a MARGS <<< "$(method_args "$m")"
  J="$MERGED/newer-$m-java.safetensors"
  N="$MERGED/newer-$m-numpy.safetensors"
  echo "== $m ${MARGS[*]}: $REPS round(s) of TauLab and the numpy peer"
  for ((r = 1; r <= REPS; r++)); do
    sides=(java numpy)
    [ $((r % 2)) = 0 ] && sides=(numpy java)
    for side in "${sides[@]}"; do
      if [ "$side" = java ]; then
        run_one "$m" java "$r" "$J" -- $TAULAB merge "$m" "${MARGS[@]}" --base "$B" --out "$J" "${FTS[@]}"
      else
        run_one "$m" numpy "$r" "$N" -- "$PY" bench/peer_newer.py "$m" "${MARGS[@]}" --base "$B" --out "$N" "${FTS[@]}"
      fi
    done
  done
  rt=$(rtol_for "$m"); drt=$(drtol_for "$m")
  {
    echo "$m: $(basename "$J") vs $(basename "$N") (rtol $rt, delta rtol $drt):"
    set +e
    "$PY" bench/compare.py "$J" "$N" --base "$B" --rtol "$rt" --delta-rtol "$drt" --quiet
    echo "exit=$?"
    set -e
  } > "$WORK/newer-compare-$m.txt" 2>&1
  collect_check "$WORK/newer-compare-$m.txt"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== summary"
set_machine_desc
set_inputs_desc "$DATA"
"$PY" bench/summarize_newer.py --raw "$RAW" --compare "$CMP" --results "$RESULTS" --reps "$REPS" \
  --methods "$METHODS" \
  --meta "date=$START_DATE" \
  --meta "command=${TAULAB:+TAULAB=$TAULAB }bench/run-newer-merges-bench.sh${ARGS_GIVEN:+ $ARGS_GIVEN}" \
  --meta "inputs=$INPUTS" \
  --meta "machine=$MACHINE" \
  --meta "java=$(java -version 2>&1 | head -1)" \
  --meta "JAVA_OPTS=${JAVA_OPTS:-(unset)}" \
  --meta "numpy=$("$PY" -c 'import numpy; print(numpy.__version__)'), $("$PY" --version 2>&1)" \
  --meta "lapack=$(readlink -f /usr/lib/x86_64-linux-gnu/liblapack.so.3)" \
  --meta "git=$(git_desc ' + uncommitted changes in dsl/ or kernel-ext/')" \
  --meta "loadavg=before $LOAD_BEFORE, after $LOAD_AFTER" \
  --params "$(for m in "${METHOD_LIST[@]}"; do printf '%s=%s;' "$m" "$(method_args "$m")"; done)"
if [ "$cmp_ok" != 1 ]; then
  echo "run-newer-merges-bench: TauLab and the numpy peer disagree beyond the tolerances (see above)" >&2
  exit 1
fi
