#!/usr/bin/env bash
# Benchmark of the merges that keep leading singular triplets (CART, low-rank task arithmetic, TSV-M) with
# TauLab's truncated SVD: `bin/taulab merge M` (default --svd auto, which takes the randomized truncated SVD
# where k + oversampling <= min(m, n)/4) against TauLab's exact SVD and against Python peers
# (bench/peer_svd.py: exact SVD on numpy and torch, and TauLab's randomized algorithm on numpy), on the
# synthetic OpenCLIP ViT-B/32 visual-tower checkpoints of bench/gen_vitb32.py (base + 8 fine-tuned, 351 MB each).
#
#   bench/run-svd-bench.sh [--reps N] [--exact-reps N] [--quick] [--methods a,b,...] [--data DIR]
#                          [--results FILE] [--no-wait] [--no-java]
#
#   --reps N        rounds of the fast configurations (java-M, peer-M-rsvd) per method (default 3)
#   --exact-reps N  rounds of the slow exact ones (java-M-exact, peer-M-numpy, peer-M-torch) (default 1)
#   --quick         1 round of each, and the table goes to bench/out/run/svd-bench-quick.txt
#                   (the committed bench/results/svd-bench.txt is left alone)
#   --methods LIST  comma-separated subset of: cart,lowrank-ta,tsvm (default all; low-rank-ta = lowrank-ta)
#   --data DIR      checkpoint folder (default bench/out/vitb32; made or reused by bench/gen_vitb32.py;
#                   a folder whose name is "small" is made with gen_vitb32.py --small, for testing)
#   --results FILE  where the table goes (default bench/results/svd-bench.txt)
#   --no-wait       do not wait for other processes to leave the CPUs before each measurement
#   --no-java       only the peers (for a TauLab without --svd, or to test the peer side alone)
#   --recheck       measure nothing: redo the agreement checks and the table from the last run's outputs,
#                   timings and logs in bench/out/ (same options as that run; its date and command are kept)
#
# Environment: TAULAB overrides the TauLab command (default bin/taulab; e.g. TAULAB=/path/runner.sh for a
# prebuilt snapshot taking the same arguments; it must have --svd); JAVA_OPTS is passed through (recorded).
#
# Configurations, per method M (M's parameters, the same on every side, are its defaults written out:
# cart --rank-ratio 0.08 --lambda 1.0; lowrank-ta --rank-ratio 0.08 --lambda 0.3; tsvm --lambda 1.0):
#   java-M          $TAULAB merge M ...                  (TauLab's default, --svd auto)
#   java-M-exact    $TAULAB merge M ... --svd exact      (LAPACK sgesdd)
#   peer-M-numpy    peer_svd.py M ... --svd exact --backend numpy       (np.linalg.svd, gesdd)
#   peer-M-torch    peer_svd.py M ... --svd exact --backend torch       (torch.linalg.svd, gesdd)
#   peer-M-rsvd     peer_svd.py M ... --svd randomized --backend numpy  (TruncatedSvd's algorithm and settings,
#                   the same Gaussian test matrix: java.util.Random(20250101); its Krylov blocks per matrix are listed)
# Within a method, a round runs each configuration that still has rounds to go once, in an order rotated
# from round to round. Targets (CART): java-cart / faster of peer-cart-numpy and peer-cart-torch <= 0.20,
# java-cart / peer-cart-rsvd <= 1.00; the same ratios for lowrank-ta and tsvm are information.
#
# Every run is timed under `/usr/bin/time -v` (wall time, peak RSS); the table reports median, min and max
# over the rounds. Before each measurement: `sync`, a wait (up to 60 s, unless --no-wait) until other
# processes use < 15 % of the CPUs (recorded), and a re-read of the 9 inputs (cat > /dev/null) so that each
# run starts with them in the page cache. When TAULAB is bin/taulab, its self-rebuild (sources changed) is
# done untimed by a `bin/taulab --help` first, and a timed run that rebuilt anyway is repeated.
#
# Agreement, per method, with bench/compare.py (per tensor, worst over tensors; B the reference):
#   truncation pairs   java-M vs java-M-exact, java-M vs peer-M-numpy (the checks that decide), and for
#                      information java-M vs peer-M-rsvd (same algorithm and test matrix: how closely TauLab
#                      follows its own description) and peer-M-rsvd vs peer-M-numpy (the peer's own truncation
#                      error): max|A - B| / max|B| <= 1e-4 must hold. The error relative to the merge delta,
#                      max|A - B| / max|B - theta_pre|, and ||A - B||_F / ||B - theta_pre||_F (worst selected
#                      matrix) are information only, the first flagged above DRTOL_INFO = 1e-2. Rounding does not
#                      set their size: the truncated SVD's rank-k part differs from the exact one by its
#                      approximation error. The stopping rule (the estimate moves by <= 1e-4 of ||s|| from one
#                      Krylov block to the next) leaves a few 1e-6 of the rank-k part on these matrices, whose
#                      spectrum is flat at k (a Krylov space converges faster than the movement it last showed);
#                      but where sigma_k sits in a cluster of near-equal
#                      singular values (a noise bulk) the rank-k truncation is not unique, and the randomized and
#                      exact SVDs may pick different directions from it, each costing up to ~sigma_k (see
#                      docs/algorithms.md, "How the leading triplets are computed"). 1e-2 of max|delta| -- the
#                      merge moves no entry by more than 1 % of its largest change -- is then what "the same
#                      merge" can reasonably mean; more is worth a look (a cluster at k, or too few Krylov blocks),
#                      not a failure. The 1e-4-of-max|theta| check still bounds it absolutely: on these
#                      checkpoints max|delta| is ~0.3 % of max|theta|, so it fails beyond ~3 % of the delta.
#   exact pairs        java-M-exact vs peer-M-numpy, peer-M-torch vs peer-M-numpy: the same computation up to
#                      float32 rounding, so as in run-newer-merges-bench.sh both max|A - B| / max|B| <= 1e-4 and
#                      max|A - B| / max|B - theta_pre| <= 1e-3 (30x one output ulp) must hold -- except for tsvm
#                      (kind exact-bulk), whose k = n / T = 96 triplets of every tau_t reach into the noise bulk of
#                      these checkpoints (the generator gives tau_t 8 + 48 structured directions): there two exact
#                      SVDs pick different directions from the bulk (measured 3.4e-3 of max|delta| between
#                      LAPACK builds) and only the 1e-4-of-max|theta| check applies, the delta one is information.
# A failed check makes the script exit 1 after writing the table.
set -euo pipefail

SELF="$(readlink -f "${BASH_SOURCE[0]}")"
ROOT="$(cd "$(dirname "$SELF")/.." && pwd)"
cd "$ROOT"
BENCH=run-svd-bench
# shellcheck source=lib/measure.sh
. "$ROOT/bench/lib/measure.sh"   # usage, need_arg, the prerequisite checks, the checkpoints and the timed runs
PY=/usr/bin/python3
TAULAB="${TAULAB:-bin/taulab}"
ALL_METHODS="cart,lowrank-ta,tsvm"
REPS=3
EXACT_REPS=1
QUICK=0
WAIT_QUIET=1
DO_JAVA=1
RECHECK=0
METHODS="$ALL_METHODS"
DATA="$ROOT/bench/out/vitb32"
RESULTS=""
ARGS_GIVEN="$*"
RTOL=1e-4          # every pair: max|a-b| / max|b|
DRTOL_EXACT=1e-3   # exact pairs: max|a-b| / max|b-base|
DRTOL_INFO=1e-2    # truncation pairs: the same figure, information only (see above)

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) REPS=1; EXACT_REPS=1; QUICK=1 ;;
    --reps) need_arg "$@"; REPS="$2"; shift ;;
    --exact-reps) need_arg "$@"; EXACT_REPS="$2"; shift ;;
    --methods) need_arg "$@"; METHODS="$2"; shift ;;
    --data) need_arg "$@"; DATA="$(readlink -m "$2")"; shift ;;
    --results) need_arg "$@"; RESULTS="$(readlink -m "$2")"; shift ;;
    --no-wait) WAIT_QUIET=0 ;;
    --no-java) DO_JAVA=0 ;;
    --recheck) RECHECK=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-svd-bench: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$REPS$EXACT_REPS" in ''|*[!0-9]*) echo "run-svd-bench: --reps/--exact-reps need whole numbers" >&2; exit 2 ;; esac
[ "$REPS" -ge 1 ] && [ "$EXACT_REPS" -ge 1 ] || { echo "run-svd-bench: repetitions must be >= 1" >&2; exit 2; }
METHODS="$(echo "$METHODS" | sed 's/\blow-rank-ta\b/lowrank-ta/g')"
parse_methods
set_default_results svd-bench

method_args() {  # the options every side gets
  case "$1" in
    cart) echo "--rank-ratio 0.08 --lambda 1.0" ;;
    lowrank-ta) echo "--rank-ratio 0.08 --lambda 0.3" ;;
    tsvm) echo "--lambda 1.0" ;;
  esac
}

# ---------------------------------------------------------------- prerequisites
check_prerequisites 0 numpy torch scipy   # what is missing is named, not installed (scipy: the peer's pivoted QR)
warn_reference_lapack "the peers' SVDs are"
"$PY" bench/peer_svd.py --self-test > /dev/null || { echo "run-svd-bench: peer_svd.py --self-test failed" >&2; exit 1; }

# The files of this script are named svd-* so that the other benchmarks' files in the same folders are left alone.
if [ "$RECHECK" = 1 ]; then
  WORK="$ROOT/bench/out/run"; MERGED="$ROOT/bench/out/merged"; RAW="$WORK/svd-raw.tsv"; LOGDIR="$WORK/svd-logs"
  [ -s "$RAW" ] || { echo "run-svd-bench: --recheck: no earlier run in $WORK" >&2; exit 1; }
else
  make_work_dirs svd-
fi
PASSES="$WORK/svd-passes.tsv"
CMP="$WORK/svd-compare.txt"
RUN_INFO="$WORK/svd-run-info.txt"
[ "$RECHECK" = 1 ] || : > "$PASSES"
: > "$CMP"

if [ "$DO_JAVA" = 1 ] && [ "$RECHECK" = 0 ]; then
  echo "== TauLab: $TAULAB (--help first: builds on first use)"
  build_taulab "$TAULAB"
  for m in "${METHOD_LIST[@]}"; do
    $TAULAB merge "$m" --help > "$LOGDIR/taulab-$m-help.txt" 2>&1 || {
      echo "run-svd-bench: $TAULAB merge $m --help failed (does this TauLab have '$m'?)" >&2; exit 1; }
    grep -q -- '--svd' "$LOGDIR/taulab-$m-help.txt" || {
      echo "run-svd-bench: $TAULAB merge $m has no --svd option (an older TauLab?); --no-java runs the peers alone" >&2
      exit 1; }
  done
fi

load_checkpoints --small-by-name "$DATA"

# ---------------------------------------------------------------- measurement
# run_one METHOD CONFIG ROUND OUT -- CMD...   (OUT removed before the run; CONFIG java-* runs TauLab)
run_one() {
  local method="$1" cfg="$2" round="$3" out="$4"; shift 5
  local taulab=-
  case "$cfg" in java-*) taulab="$TAULAB" ;; esac
  measure "$cfg" "$LOGDIR/$cfg.$round" "$round" "$out" "$taulab" -- "$@"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$method" "$cfg" "$round" "$MEASURED_WALL" "$MEASURED_RSS" \
    "$MEASURED_BUSY" "$MEASURED_BUILD" >> "$RAW"
  printf '   %-22s round %d: %8.2f s  peak RSS %8.1f MiB  (other CPU use before: %s%%)\n' \
    "$cfg" "$round" "$MEASURED_WALL" "$(mib "$MEASURED_RSS")" "$MEASURED_BUSY"
}

out_of() { echo "$MERGED/svd-$1.safetensors"; }

cfg_cmd() {  # cfg_cmd METHOD CONFIG ROUND -> runs it
  local m="$1" cfg="$2" r="$3" o
  local -a margs
  read -r -a margs <<< "$(method_args "$m")"
  o="$(out_of "$cfg")"
  case "$cfg" in
    "java-$m")
      run_one "$m" "$cfg" "$r" "$o" -- $TAULAB merge "$m" "${margs[@]}" --base "$B" --out "$o" "${FTS[@]}" ;;
    "java-$m-exact")
      run_one "$m" "$cfg" "$r" "$o" -- $TAULAB merge "$m" "${margs[@]}" --svd exact --base "$B" --out "$o" "${FTS[@]}" ;;
    "peer-$m-numpy"|"peer-$m-torch")
      run_one "$m" "$cfg" "$r" "$o" -- "$PY" bench/peer_svd.py "$m" "${margs[@]}" --svd exact \
        --backend "${cfg##*-}" --timings --base "$B" --out "$o" "${FTS[@]}" ;;
    "peer-$m-rsvd")
      run_one "$m" "$cfg" "$r" "$o" -- "$PY" bench/peer_svd.py "$m" "${margs[@]}" --svd randomized \
        --backend numpy --timings --stats "$LOGDIR/$cfg.$r.stats.tsv" --base "$B" --out "$o" "${FTS[@]}"
      printf '%s\t%s\t%s\n' "$m" "$r" "$(grep -m1 '^peer_svd krylov:' "$LOGDIR/$cfg.$r.err" || echo '?')" >> "$PASSES"
      echo "      $(grep -m1 '^peer_svd krylov:' "$LOGDIR/$cfg.$r.err" || true)" ;;
    *) echo "internal: unknown config $cfg" >&2; exit 1 ;;
  esac
}

# compare_pair METHOD KIND A_CFG B_CFG   (KIND truncation|exact; B is the reference)
compare_pair() {
  local m="$1" kind="$2" a b tol rc
  local -a extra=()
  a="$(out_of "$3")"; b="$(out_of "$4")"
  if [ "$kind" = exact ] && [ "$m" = tsvm ]; then
    kind=exact-bulk; tol="rtol $RTOL, delta information > $DRTOL_INFO"
  elif [ "$kind" = exact ]; then
    extra=(--delta-rtol "$DRTOL_EXACT"); tol="rtol $RTOL, delta rtol $DRTOL_EXACT"
  else
    tol="rtol $RTOL, delta information > $DRTOL_INFO"
  fi
  {
    echo "PAIR $m $kind $3 vs $4 ($tol):"
    set +e
    "$PY" bench/compare.py "$a" "$b" --base "$B" --rtol "$RTOL" "${extra[@]}" --quiet
    rc=$?
    "$PY" bench/summarize_svd.py --frob "$a" "$b" --base "$B"
    echo "exit=$rc"
    set -e
  } > "$WORK/svd-compare-$m-$3-$4.txt" 2>&1
  collect_check "$WORK/svd-compare-$m-$3-$4.txt"
}

COMMAND="${TAULAB:+TAULAB=$TAULAB }${JAVA_OPTS:+JAVA_OPTS='$JAVA_OPTS' }bench/run-svd-bench.sh${ARGS_GIVEN:+ $ARGS_GIVEN}"
START_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$RECHECK" = 1 ]; then   # the measured run's date, command and load (from its info file or its table)
  if [ -s "$RUN_INFO" ]; then
    . "$RUN_INFO"
  elif [ -s "$RESULTS" ]; then
    START_DATE="$(sed -n 's/^date  *//p' "$RESULTS" | head -1 | sed 's/ (outputs re-checked.*//')"
    COMMAND="$(sed -n 's/^command  *//p' "$RESULTS" | head -1)"
    LOAD_BEFORE="$(sed -n 's/^loadavg  *before \(.*\), after .*/\1/p' "$RESULTS" | head -1)"
  fi
  START_DATE="$START_DATE (outputs re-checked $(date -u '+%Y-%m-%d %H:%M UTC') by --recheck)"
else
  printf 'START_DATE=%q\nCOMMAND=%q\nLOAD_BEFORE=%q\n' "$START_DATE" "$COMMAND" "$LOAD_BEFORE" > "$RUN_INFO"
fi
cmp_ok=1
NROUNDS=$(( REPS > EXACT_REPS ? REPS : EXACT_REPS ))
for m in "${METHOD_LIST[@]}"; do
  FAST=() EXACT=()
  [ "$DO_JAVA" = 1 ] && FAST+=("java-$m") && EXACT+=("java-$m-exact")
  FAST+=("peer-$m-rsvd"); EXACT+=("peer-$m-numpy" "peer-$m-torch")
  echo "== $m $(method_args "$m"): $REPS round(s) of ${FAST[*]}; $EXACT_REPS of ${EXACT[*]}"
  for ((r = 1; r <= NROUNDS && RECHECK == 0; r++)); do
    cfgs=()
    [ "$r" -le "$REPS" ] && cfgs+=("${FAST[@]}")
    [ "$r" -le "$EXACT_REPS" ] && cfgs+=("${EXACT[@]}")
    for cfg in $(rotation "$r" "${cfgs[@]}"); do
      cfg_cmd "$m" "$cfg" "$r"
    done
  done
  echo "== $m: checking outputs"
  if [ "$DO_JAVA" = 1 ]; then
    compare_pair "$m" truncation "java-$m" "java-$m-exact"
    compare_pair "$m" truncation "java-$m" "peer-$m-numpy"
    compare_pair "$m" truncation "java-$m" "peer-$m-rsvd"
  fi
  compare_pair "$m" truncation "peer-$m-rsvd" "peer-$m-numpy"
  [ "$DO_JAVA" = 1 ] && compare_pair "$m" exact "java-$m-exact" "peer-$m-numpy"
  compare_pair "$m" exact "peer-$m-torch" "peer-$m-numpy"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== summary"
set_machine_desc
set_inputs_desc "$DATA"
"$PY" bench/summarize_svd.py --raw "$RAW" --compare "$CMP" --passes "$PASSES" --results "$RESULTS" \
  --reps "$REPS" --exact-reps "$EXACT_REPS" --methods "$METHODS" --drtol-info "$DRTOL_INFO" \
  --meta "date=$START_DATE" \
  --meta "command=$COMMAND" \
  --meta "inputs=$INPUTS" \
  --meta "machine=$MACHINE" \
  --meta "java=$(java -version 2>&1 | head -1)$([ "$DO_JAVA" = 1 ] || echo ' (not run: --no-java)')" \
  --meta "JAVA_OPTS=${JAVA_OPTS:-(unset)}" \
  --meta "numpy=$("$PY" -c 'import numpy; print(numpy.__version__)'), torch $("$PY" -c 'import torch; print(torch.__version__)'), $("$PY" --version 2>&1)" \
  --meta "lapack=$(readlink -f /usr/lib/x86_64-linux-gnu/liblapack.so.3)" \
  --meta "git=$(git_desc ' + uncommitted changes in dsl/ or kernel-ext/' ' + untracked files in dsl/ or kernel-ext/')" \
  --meta "loadavg=before $LOAD_BEFORE, after $LOAD_AFTER" \
  --params "$(for m in "${METHOD_LIST[@]}"; do printf '%s=%s;' "$m" "$(method_args "$m")"; done)"
if [ "$cmp_ok" != 1 ]; then
  echo "run-svd-bench: outputs disagree beyond the tolerances (see above)" >&2
  exit 1
fi
