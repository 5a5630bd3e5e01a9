"""What the benchmark's Python peers and summarizers share.

Peers (peer_merge.py, peer_newer.py, peer_svd.py):
  FLOAT_CODES, DEFAULT_SELECT   the float dtypes merged (others are copied from the base); the default
                                regex on tensor names for the "selected" matrices (attn|mlp)
  Timer                         seconds per phase, summed; Timer.parts() for a --timings line
  rank_for(ratio, shape, eps)   k = max(1, floor(ratio min(m, n) + eps)), 0 for ratio <= 0
  check_inputs(base, fts)       every fine-tuned file has the base's tensor names and shapes
  merge_arg_parser(doc, methods)  argparse with METHOD, FT..., --base, --out, --lambda (in that order)
  open_output(path, base, merged_by)  the streaming float32 writer of a merge, in the base's tensor order
  set_torch_threads(n)          torch intra-op threads (at least 1)

Summarizers (summarize.py, summarize_newer.py, summarize_svd.py):
  parse_time_report(path)       wall, rss_kb, user, sys from a `/usr/bin/time -v` report
  read_raw(path)                the tab-separated fields of each non-empty line of a RAW.tsv
  median_of(runs, key, i)       median of field i of runs[key] (None when there are none)
  parse_params(text)            "method=options;..." -> dict
  meta_lines(meta)              the "key=value" --meta items as the tables' header lines
  parse_worst(line, rec)        bench/compare.py's worst ratios in one line, into rec["rel"] / rec["drel"]
  parse_reports(path, header, start, per_line)  the check reports of a COMPARE.txt (header, lines, "exit=N")
  run_notes(busy, builds, ...)  the notes on busy CPUs and on rebuilds of bin/taulab between runs
  write_results(path, lines)    the table to the results file and to stdout
"""
import argparse
import math
import re
import statistics
import sys

FLOAT_CODES = {"F32", "F64", "F16"}
DEFAULT_SELECT = r"attn|mlp"


# ----------------------------------------------------------------------------------------- peers

class Timer:
    def __init__(self):
        self.t = {}

    def add(self, key, dt):
        self.t[key] = self.t.get(key, 0.0) + dt

    def parts(self):
        return ", ".join(f"{k} {v:.2f} s" for k, v in self.t.items())


def rank_for(ratio, shape, eps=0.0):
    """k = max(1, floor(ratio min(m, n) + eps)) (at most min(m, n)), 0 for ratio <= 0."""
    if ratio <= 0:
        return 0
    return max(1, min(min(shape), int(math.floor(ratio * min(shape) + eps))))


def check_inputs(base, fts):
    for f in fts:
        if set(f.names) != set(base.names):
            missing = sorted(set(base.names) ^ set(f.names))[:5]
            raise SystemExit(f"{f.path}: tensor names differ from {base.path}, e.g. {missing}")
        for n in base.names:
            if f.shape(n) != base.shape(n):
                raise SystemExit(f"{f.path}: {n} has shape {f.shape(n)}, base has {base.shape(n)}")


def merge_arg_parser(doc, methods):
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("method", choices=methods)
    ap.add_argument("finetuned", nargs="+")
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lambda", dest="lam", type=float, default=None)
    return ap


def open_output(path, base, merged_by):
    """A SafetensorsWriter for the merge of `base` (float tensors as float32, the others as they are)."""
    import numpy as np
    from safetensors_np import SafetensorsWriter
    specs = []
    for n in base.names:
        dt = np.float32 if base.dtype(n) in FLOAT_CODES else base.get(n).dtype
        specs.append((n, base.shape(n), dt))
    return SafetensorsWriter(path, specs, {"format": "pt", "merged_by": merged_by})


def set_torch_threads(n):
    import torch
    torch.set_num_threads(max(1, n))


# ----------------------------------------------------------------------------------------- summarizers

def parse_time_report(path):
    vals = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("Elapsed (wall clock) time"):
                t = line.rsplit(": ", 1)[1]
                parts = [float(p) for p in t.split(":")]
                sec = 0.0
                for p in parts:
                    sec = sec * 60 + p
                vals["wall"] = sec
            elif line.startswith("Maximum resident set size"):
                vals["rss_kb"] = int(line.rsplit(": ", 1)[1])
            elif line.startswith("User time"):
                vals["user"] = float(line.rsplit(": ", 1)[1])
            elif line.startswith("System time"):
                vals["sys"] = float(line.rsplit(": ", 1)[1])
    return vals


def read_raw(path):
    with open(path) as f:
        for line in f:
            if line.strip():
                yield line.rstrip("\n").split("\t")


def median_of(runs, key, i=1):
    r = runs.get(key)
    return statistics.median(x[i] for x in r) if r else None


def parse_params(text):
    return dict(p.split("=", 1) for p in text.split(";") if "=" in p)


def meta_lines(meta):
    lines = []
    for kv in meta:
        k, _, v = kv.partition("=")
        lines.append(f"{k:10s} {v}")
    return lines


NUM = r"([0-9.e+-]+|inf|nan)"


def parse_worst(line, rec):
    m = re.search(r"worst max\|a-b\|/max\|b\| = " + NUM, line)
    if m:
        rec["rel"] = float(m.group(1))
    m = re.search(r"worst max\|a-b\|/max\|b-base\| = " + NUM, line)
    if m:
        rec["drel"] = float(m.group(1))


def parse_reports(path, header, start, per_line=None):
    """The check reports of a COMPARE.txt, in order: a line matching the regex `header` starts one (the dict
    start(match) returns, given rel, drel, ok and lines); the lines after it, up to the next header, are its
    lines, with bench/compare.py's worst ratios parsed into rel / drel (and per_line(line, report) called, if
    given); its line "exit=N" (not kept) sets ok to N = 0."""
    out = []
    cur = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(header, line)
            if m:
                cur = dict(start(m), rel=None, drel=None, ok=False, lines=[])
                out.append(cur)
                continue
            if cur is None:
                continue
            if line.startswith("exit="):
                cur["ok"] = line == "exit=0"
                continue
            cur["lines"].append(line)
            parse_worst(line, cur)
            if per_line is not None:
                per_line(line, cur)
    return out


def run_notes(busy, builds, list_builds=True):
    """busy: label -> the % of CPUs others used before each run; builds: bin/taulab build stamp -> the runs
    it served (list_builds: name them; otherwise only their number is said)."""
    lines = []
    hi = [(k, max(v)) for k, v in busy.items() if max(v) >= 15]
    if hi:
        lines.append("")
        lines.append("note: other processes were using >= 15 % of the CPUs just before some runs: "
                     + ", ".join(f"{k} (up to {v} %)" for k, v in hi))
    if len(builds) > 1:
        lines.append("")
        if list_builds:
            lines.append(f"note: bin/taulab was rebuilt between runs (its sources changed during the benchmark); "
                         f"{len(builds)} builds were measured: "
                         + "; ".join(", ".join(v) for _, v in sorted(builds.items())))
        else:
            lines.append(f"note: bin/taulab was rebuilt between runs (its sources changed during the benchmark): "
                         f"{len(builds)} different builds were measured")
    return lines


def write_results(path, lines):
    text = "\n".join(lines) + "\n"
    with open(path, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    print(f"(written to {path})")

