# shellcheck shell=bash
# The measurement helpers that bench/run-merge-bench.sh, bench/run-newer-merges-bench.sh and
# bench/run-svd-bench.sh share; each sources this file after `set -euo pipefail`.
#
# The sourcing script sets, before calling anything here:
#   BENCH       its name, the prefix of its messages (e.g. run-svd-bench)
#   SELF ROOT   its own path and the repository root (the current directory); PY, the Python to run
# and, before measuring, WAIT_QUIET (1: wait for quiet CPUs before each run); make_work_dirs sets LOGDIR (the
# logs' folder), load_checkpoints the checkpoints B and FTS.
#
#   usage                      the script's header comment (line 2 up to `set -euo`) as its --help
#   need_arg OPT ...           exit 2 unless OPT has a value (call as need_arg "$@")
#   set_default_results NAME   RESULTS, unless given: bench/out/run/NAME-quick.txt with QUICK=1, otherwise
#                              bench/results/NAME.txt (a --quick run does not overwrite the committed results)
#   parse_methods              METHOD_LIST from the comma-separated METHODS, each checked against ALL_METHODS
#   check_prerequisites INSTALL MODULE...   /usr/bin/time and the Python modules (Debian python3-MODULE);
#                              INSTALL=1: install what is missing with apt-get when root, else say how and exit 1
#   warn_reference_lapack WHAT a warning when liblapack.so.3 is the reference LAPACK ("so WHAT unfairly slow")
#   make_work_dirs PREFIX      WORK (bench/out/run), MERGED (bench/out/merged) and the folder of RESULTS made;
#                              RAW=$WORK/PREFIXraw.tsv emptied; LOGDIR=$WORK/PREFIXlogs made afresh
#   build_taulab CMD           CMD --help once (bin/taulab builds itself on first use); exit 1 if that fails
#   load_checkpoints [--small-by-name] DIR   make or reuse the checkpoints (bench/gen_vitb32.py; with
#                              --small-by-name, a folder named "small" gets --small), set B, FTS, CKPT_BYTES and
#                              read the 9 files once into the page cache
#   cpu_busy_other, wait_quiet the % of all CPUs busy over 1 s; the same after waiting (at most 60 s, unless
#                              WAIT_QUIET=0) until it is < 15 %
#   measure TITLE LOG ROUND OUT TAULAB -- CMD...   one timed run (see below)
#   mib KIB                    KiB as MiB (for the progress lines)
#   rotation ROUND CFG...      the configurations in round ROUND's order (rotated by one per round)
#   collect_check FILE         a check's report (ending in "exit=N") added to $CMP and shown; cmp_ok=0 unless N = 0
#   set_machine_desc, set_inputs_desc DIR, git_desc UNCOMMITTED [UNTRACKED]   for the results' --meta lines
#                              (MACHINE, INPUTS, and git_desc's output)

usage() { sed -n '2,/^set -euo/p' "$SELF" | sed '$d' | sed 's/^# \{0,1\}//'; }

need_arg() { [ $# -ge 2 ] || { echo "$BENCH: $1 needs a value (try --help)" >&2; exit 2; }; }

set_default_results() {
  [ -z "$RESULTS" ] || return 0
  if [ "$QUICK" = 1 ]; then RESULTS="$ROOT/bench/out/run/$1-quick.txt"
  else RESULTS="$ROOT/bench/results/$1.txt"; fi
}

parse_methods() {
  local m
  IFS=, read -r -a METHOD_LIST <<< "$METHODS"
  [ ${#METHOD_LIST[@]} -gt 0 ] || { echo "$BENCH: --methods is empty" >&2; exit 2; }
  for m in "${METHOD_LIST[@]}"; do
    case ",$ALL_METHODS," in *",$m,"*) ;; *)
      echo "$BENCH: unknown method '$m' (known: $ALL_METHODS)" >&2; exit 2 ;; esac
  done
}

# ---------------------------------------------------------------- prerequisites and inputs
check_prerequisites() {  # check_prerequisites INSTALL MODULE...
  local install="$1" mod
  shift
  local -a missing=()
  [ -x /usr/bin/time ] || missing+=(time)
  for mod in "$@"; do
    "$PY" -c "import $mod" 2>/dev/null || missing+=("python3-$mod")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$install" != 1 ]; then
    echo "$BENCH: missing Debian packages: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  echo "$BENCH: missing Debian packages: ${missing[*]}" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$BENCH: installing them with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  else
    echo "$BENCH: install them (apt-get install -y ${missing[*]}) and run again" >&2
    exit 1
  fi
}

# Debian's numpy and torch link the generic liblapack.so.3; unless an optimised provider is installed
# (libopenblas0-pthread), that is the reference LAPACK and the peers' SVDs are several times slower.
warn_reference_lapack() {  # warn_reference_lapack WHAT   ("... so WHAT unfairly slow")
  case "$(readlink -f /usr/lib/x86_64-linux-gnu/liblapack.so.3 2>/dev/null)" in
    *openblas*|*blis*|*mkl*) ;;
    *) echo "$BENCH: warning: liblapack.so.3 is the reference LAPACK, so $1 unfairly slow;" \
            "install libopenblas0-pthread for an honest peer" >&2 ;;
  esac
}

make_work_dirs() {  # make_work_dirs PREFIX
  WORK="$ROOT/bench/out/run"
  MERGED="$ROOT/bench/out/merged"
  mkdir -p "$WORK" "$MERGED" "$(dirname "$RESULTS")"
  RAW="$WORK/${1}raw.tsv"
  LOGDIR="$WORK/${1}logs"
  rm -rf "$LOGDIR"; mkdir -p "$LOGDIR"
  : > "$RAW"
}

build_taulab() {  # build_taulab CMD   (CMD word-split, as $TAULAB is)
  # shellcheck disable=SC2086
  $1 --help > "$LOGDIR/taulab-help.txt" 2> "$LOGDIR/taulab-build.err" || {
    cat "$LOGDIR/taulab-build.err" >&2; echo "$BENCH: $1 --help failed" >&2; exit 1; }
}

load_checkpoints() {  # load_checkpoints [--small-by-name] DIR
  local by_name=0 t
  [ "$1" = --small-by-name ] && { by_name=1; shift; }
  local dir="$1"
  local -a gen_args=()
  [ "$by_name" = 1 ] && [ "$(basename "$dir")" = small ] && gen_args+=(--small)
  echo "== checkpoints ($dir)"
  "$PY" bench/gen_vitb32.py "$dir" "${gen_args[@]}"
  B="$dir/base.safetensors"
  FTS=()
  for t in 1 2 3 4 5 6 7 8; do FTS+=("$dir/ft$t.safetensors"); done
  CKPT_BYTES=$(stat -c %s "$B")
  echo "== warming the page cache (reading the 9 inputs once)"
  cat "$B" "${FTS[@]}" > /dev/null
}

# ---------------------------------------------------------------- measurement
cpu_busy_other() {  # percentage of all CPUs busy over 1 s (we are idle meanwhile)
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

# measure TITLE LOG ROUND OUT TAULAB -- CMD...
#   Runs CMD once under `/usr/bin/time -v -o LOG.time` (stdout LOG.out, stderr LOG.err), after removing OUT
#   and OUT.tmp (OUT '-': no output file), `sync`, wait_quiet and a re-read of B and FTS. TAULAB is the TauLab
#   command CMD runs, or '-' when CMD is not TauLab; for TauLab, `TAULAB --help` runs first, untimed (bin/taulab
#   rebuilds itself there when its sources changed; while it does not build, it is retried every 30 s), and a
#   timed run that rebuilt anyway ("taulab: building" on its stderr) is repeated, at most 8 tries in all.
#   A failed CMD ends the script (exit 1). TITLE names the run in messages.
#   Sets MEASURED_WALL (s), MEASURED_RSS (peak, KiB), MEASURED_BUSY (% of CPUs others used just before) and
#   MEASURED_BUILD (bin/taulab's build stamp, the mtime of kernel-ext/target/.taulab-built; - unless TAULAB
#   is bin/taulab).
measure() {
  local title="$1" log="$2" round="$3" out="$4" taulab="$5"; shift 6
  local tries=0 rc busy build=-
  while :; do
    tries=$((tries + 1))
    if [ "$tries" -gt 8 ]; then
      echo "$BENCH: $title (round $round): $taulab rebuilt itself on every try (its sources keep changing);" \
           "giving up" >&2
      exit 1
    fi
    if [ "$taulab" != - ]; then
      # bin/taulab rebuilds itself (mvn) when its sources changed since the last build: do that untimed.
      # shellcheck disable=SC2086
      if ! $taulab --help > /dev/null 2> "$log.build"; then
        echo "   ($title round $round: $taulab does not build right now (sources being edited?); retrying in 30 s)"
        sleep 30
        continue
      fi
      if [ "$taulab" = bin/taulab ]; then
        build=$(stat -c %Y kernel-ext/target/.taulab-built 2>/dev/null || echo -)
      fi
    fi
    [ "$out" = - ] || rm -f "$out" "$out.tmp"
    sync
    busy=$(wait_quiet)
    cat "$B" "${FTS[@]}" > /dev/null   # re-warm: a proactive reclaimer (DAMON) may drop idle page cache
    set +e
    /usr/bin/time -v -o "$log.time" "$@" > "$log.out" 2> "$log.err"
    rc=$?
    set -e
    # A rebuild inside the timed run (sources changed in between) is not a merge timing: repeat it.
    if [ "$taulab" != - ] && grep -q '^taulab: building' "$log.err"; then
      echo "   ($title round $round: $taulab rebuilt itself during the timed run; repeating it)"
      continue
    fi
    if [ "$rc" -ne 0 ]; then
      echo "$BENCH: $title (round $round) failed with exit $rc:" >&2
      echo "  command: $*" >&2
      tail -20 "$log.err" >&2
      exit 1
    fi
    break
  done
  MEASURED_WALL=$("$PY" bench/summarize.py --parse-time "$log.time" wall)
  MEASURED_RSS=$("$PY" bench/summarize.py --parse-time "$log.time" rss_kb)
  MEASURED_BUSY=$busy
  MEASURED_BUILD=$build
}

mib() { echo "$1" | awk '{print $1/1024}'; }  # KiB -> MiB

rotation() {  # rotation ROUND CFG...: round r starts at the r-th configuration (cyclically)
  local r="$1"; shift
  local -a cfgs=("$@")
  local k=$# i
  for ((i = 0; i < k; i++)); do echo "${cfgs[$(( (i + r - 1) % k ))]}"; done
}

collect_check() {  # collect_check FILE
  cat "$1" >> "$CMP"
  grep -q '^exit=0$' "$1" || cmp_ok=0
  sed -e '/^exit=/d' -e 's/^/   /' "$1"
}

# ---------------------------------------------------------------- the results' --meta lines
set_machine_desc() {  # MACHINE: CPU model, CPUs, RAM, kernel
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
  MACHINE="$cpu, $(nproc) CPUs, $mem RAM, $(uname -sr)"
}

set_inputs_desc() {  # set_inputs_desc DIR -> INPUTS: DIR, and the tensors, parameters and bytes of $B
  local np
  np=$("$PY" -c 'import sys; sys.path.insert(0, "bench"); from safetensors_np import SafetensorsFile as F
import numpy as np; f = F(sys.argv[1]); print(len(f.names), sum(int(np.prod(f.shape(n))) for n in f.names))' "$B")
  INPUTS="$1: base + 8 fine-tuned, $(echo "$np" | awk '{print $1}') tensors, $(echo "$np" | awk '{print $2}')"
  INPUTS+=" parameters, $CKPT_BYTES bytes per file"
}

git_desc() {  # git_desc UNCOMMITTED [UNTRACKED]: HEAD, then UNCOMMITTED when dsl/ or kernel-ext/ has
  local untracked=""  # uncommitted changes, and UNTRACKED (if given) when they hold untracked files
  if [ $# -ge 2 ] && git ls-files --others --exclude-standard dsl kernel-ext 2>/dev/null | grep -q .; then
    untracked="$2"
  fi
  echo "$(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD -- dsl kernel-ext 2>/dev/null \
    || echo "$1")$untracked"
}
