#!/usr/bin/env bash
# Out-of-core merging: three Llama-3.2-1B-shaped bfloat16 models (1.24 B parameters each, sharded as Hugging Face
# saves them; bench/gen_llama1b.py) merged by bin/taulab and by the numpy peer (bench/peer_folder.py) in the same
# run, one after the other: wall time and peak resident memory (/usr/bin/time), and the largest difference between
# the two outputs. Methods: task arithmetic, TIES (per tensor, as mergekit trims) and low-rank task arithmetic on the
# attention matrices (k = 8 % of each; TauLab's truncated SVD against numpy's full gesdd).
#   bash bench/run-llama1b-bench.sh            [LAYERS=16] [DATA=bench/out/llama1b] [METHODS="task-arithmetic ties lowrank-ta"]
# Needs about 12 GB of disk for the inputs and the outputs; results in bench/results/llama1b-bench.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LAYERS="${LAYERS:-16}"
DATA="${DATA:-$ROOT/bench/out/llama1b}"
METHODS="${METHODS:-task-arithmetic ties lowrank-ta}"
RESULTS="${RESULTS:-$ROOT/bench/results/llama1b-bench.txt}"
PY=/usr/bin/python3
mkdir -p "$DATA" "$(dirname "$RESULTS")"
$PY bench/gen_llama1b.py "$DATA" --layers "$LAYERS" --shard-size 1000000000
bin/taulab --version > /dev/null  # builds on first use, outside the timings

largest=$($PY - "$DATA/pre" <<'PY'
import json, os, struct, sys
best = 0
for f in os.listdir(sys.argv[1]):
    if f.endswith(".safetensors"):
        with open(os.path.join(sys.argv[1], f), "rb") as h:
            (n,) = struct.unpack("<Q", h.read(8))
            for k, e in json.loads(h.read(n)).items():
                if k != "__metadata__":
                    size = 1
                    for d in e["shape"]:
                        size *= d
                    best = max(best, size)
print(best)
PY
)
{
  echo "== out-of-core merge bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "inputs: base + 2 fine-tuned, Llama-3.2-1B shapes with $LAYERS layers, bfloat16, shards of at most 1 GB; largest tensor $largest values ($((largest * 4 / 1000000)) MB in float32)"
} > "$RESULTS.partial"

measure() {  # NAME COMMAND...: appends "NAME wall_s peak_rss_mb"
  local name="$1"; shift
  local log; log="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$log" "$@" > /dev/null 2>> "$DATA/bench.log"
  read -r wall rss < "$log"
  rm -f "$log"
  echo "$name $wall $((rss / 1024))"
}

for method in $METHODS; do
  extra_tl=(); extra_np=()
  case "$method" in
    ties) extra_tl=(--scope tensor) ;;
    lowrank-ta) extra_tl=(--select self_attn); extra_np=(--select self_attn) ;;
  esac
  rm -rf "$DATA/out-taulab-$method" "$DATA/out-numpy-$method"
  t=$(measure taulab bin/taulab merge "$method" "${extra_tl[@]}" --base "$DATA/pre" --out "$DATA/out-taulab-$method" \
      --shard-size 1GB --dtype bf16 "$DATA/ft1" "$DATA/ft2")
  n=$(measure numpy $PY bench/peer_folder.py "$method" "${extra_np[@]}" --base "$DATA/pre" --out "$DATA/out-numpy-$method" \
      --shard-size 1000000000 "$DATA/ft1" "$DATA/ft2")
  diff=$($PY bench/compare_folders.py "$DATA/out-taulab-$method" "$DATA/out-numpy-$method")
  read -r _ tw tr <<< "$t"
  read -r _ nw nr <<< "$n"
  ratio=$(awk -v a="$tw" -v b="$nw" 'BEGIN { printf "%.2f", a / b }')
  mult=$(awk -v r="$tr" -v l="$largest" 'BEGIN { printf "%.1f", r * 1048576 / (l * 4) }')
  printf '%-16s taulab %7.1f s %6d MB (%s× the largest tensor in float32) | numpy %7.1f s %6d MB | time ratio %s | %s\n' \
      "$method" "$tw" "$tr" "$mult" "$nw" "$nr" "$ratio" "$diff" >> "$RESULTS.partial"
  rm -rf "$DATA/out-taulab-$method" "$DATA/out-numpy-$method"
done
mv "$RESULTS.partial" "$RESULTS"
cat "$RESULTS"
