"""Executes TauLab notebooks headlessly for `taulab reproduce` and collects what they show.

For each notebook: runs the cells in order, stopping at the first error, through the `taulab` kernel with nbclient (the kernelspec is looked up on
JUPYTER_PATH, which `taulab reproduce` points at its own private install), writes the executed notebook and
an HTML version (nbconvert, images embedded) to the output folder, saves each figure as a PNG under
figures/, and records the claims (outputs with the MIME type application/vnd.taulab.claim+json), the cell
errors, the number of tables and figures and the wall time in summary.json. With --write-back, a notebook
that ran without errors replaces the source notebook atomically (so it is committed with its outputs).

Run by `taulab reproduce` with Debian's /usr/bin/python3 (nbclient, nbconvert, nbformat, jupyter_client).
"""
import argparse
import base64
import json
import os
import sys
import time

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

CLAIM_MIME = "application/vnd.taulab.claim+json"
KERNEL = "taulab"


def log(message):
    print("reproduce: " + message, flush=True)


def check_kernelspec(expected_dir):
    """The `taulab` kernelspec Jupyter will use must be the one `taulab reproduce` just installed."""
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    found = os.path.realpath(spec.resource_dir)
    if expected_dir and not found.startswith(os.path.realpath(expected_dir)):
        sys.exit("reproduce: kernelspec %s resolves to %s, not to this checkout's %s" % (KERNEL, found, expected_dir))
    return found


def text_of(output):
    data = output.get("data", {})
    text = data.get("text/plain", "")
    return "".join(text) if isinstance(text, list) else text


def collect(nb, name, figures_dir, figures_rel):
    """Claims, errors, tables and figures of an executed notebook."""
    claims, errors, figures = [], [], []
    tables = 0
    code_index = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code_index += 1
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                errors.append({"cell": index, "code_cell": code_index, "ename": output.get("ename", ""),
                               "evalue": output.get("evalue", ""), "source": cell.source.splitlines()[0] if cell.source else ""})
                continue
            data = output.get("data", {})
            if CLAIM_MIME in data:
                claim = dict(data[CLAIM_MIME])
                claim["notebook"] = name
                claim["cell"] = index
                claims.append(claim)
            if "image/png" in data:
                png = data["image/png"]
                png = "".join(png) if isinstance(png, list) else png
                file_name = "%s-cell%02d-%d.png" % (name, index, len(figures))
                with open(os.path.join(figures_dir, file_name), "wb") as f:
                    f.write(base64.b64decode(png))
                figures.append({"file": figures_rel + "/" + file_name, "cell": index, "title": text_of(output)})
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if "taulab-table" in html:
                tables += 1
    return claims, errors, figures, tables


def to_html(nb, path):
    from nbconvert import HTMLExporter
    exporter = HTMLExporter()
    body, _ = exporter.from_notebook_node(nb)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(body)
    os.replace(tmp, path)


def write_atomically(nb, path):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, path)


def run(path, args, figures_dir):
    name = os.path.splitext(os.path.basename(path))[0]
    nb = nbformat.read(path, as_version=4)
    log("executing %s (%d cells)..." % (os.path.basename(path), len(nb.cells)))
    started = time.time()
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=args.timeout, startup_timeout=120, allow_errors=False,
                            record_timing=True, resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    cell_started = {}

    def where(cell_index):
        return "%s [%d/%d]" % (name, code_cells.index(cell_index) + 1, len(code_cells))

    def on_cell_start(cell, cell_index):
        if cell.cell_type == "code":
            cell_started[cell_index] = time.time()
            first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
            log("%s %s" % (where(cell_index), first[:70]))

    def on_cell_executed(cell, cell_index, execute_reply):
        if cell_index in cell_started:
            log("%s done in %.0f s" % (where(cell_index), time.time() - cell_started[cell_index]))

    client.on_cell_start = on_cell_start
    client.on_cell_executed = on_cell_executed
    failure = None
    try:
        client.execute()
    except Exception as e:  # a dead kernel or a timeout: record it as an error of the notebook
        failure = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    seconds = time.time() - started
    claims, errors, figures, tables = collect(nb, name, figures_dir, "figures")
    if failure and not errors:  # a cell error is already in the outputs; record anything else (timeout, dead kernel)
        errors.append({"cell": -1, "code_cell": -1, "ename": "ExecutionFailed", "evalue": failure, "source": ""})
    executed = os.path.join(args.out, name + ".ipynb")
    write_atomically(nb, executed)
    html = os.path.join(args.out, name + ".html")
    to_html(nb, html)
    written_back = False
    if args.write_back and not errors:
        write_atomically(nb, path)
        written_back = True
    log("%s: %.0f s, %d tables, %d figures, %d claims, %d errors%s" % (
        name, seconds, tables, len(figures), len(claims), len(errors), ", written back" if written_back else ""))
    return {"name": name, "source": path, "notebook": name + ".ipynb", "html": name + ".html", "seconds": round(seconds, 1),
            "cells": len(nb.cells), "tables": tables, "figures": figures, "claims": claims, "errors": errors,
            "written_back": written_back}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    parser.add_argument("--kernel-dir", default="", help="where the taulab kernelspec must resolve")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write-back", action="store_true")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    figures_dir = os.path.join(args.out, "figures")
    os.makedirs(figures_dir, exist_ok=True)
    for f in os.listdir(figures_dir):
        if f.endswith(".png"):
            os.remove(os.path.join(figures_dir, f))
    spec_dir = check_kernelspec(args.kernel_dir)
    log("kernel %s from %s%s" % (KERNEL, spec_dir, ", quick mode" if args.quick else ""))
    started = time.time()
    results = [run(p, args, figures_dir) for p in args.notebooks]
    summary = {"quick": args.quick, "seconds": round(time.time() - started, 1), "kernelspec": spec_dir, "notebooks": results}
    tmp = os.path.join(args.out, "summary.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)
    os.replace(tmp, os.path.join(args.out, "summary.json"))


if __name__ == "__main__":
    main()
