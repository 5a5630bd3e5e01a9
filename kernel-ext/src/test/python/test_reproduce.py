"""Runs `bin/taulab reproduce --quick` (every notebook in notebooks/, headless, through this checkout's kernel)
and checks the report: no error outputs, every expected table and figure present, every claim collected and
printed under "claims reproduced: N of M", index.html linking the notebooks, and notebooks/ left unchanged.

The report goes to $TAULAB_REPORT_DIR (default out/report), where test_report_browser.py opens it.
Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_reproduce.py'
"""
import base64
import hashlib
import json
import os
import re
import subprocess
import time
import unittest

import nbformat

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
REPORT = os.path.abspath(os.environ.get("TAULAB_REPORT_DIR", os.path.join(ROOT, "out", "report")))
CLAIM_MIME = "application/vnd.taulab.claim+json"

# Per notebook: table captions (prefixes) and figure titles (the chart's text/plain, prefixes) that must appear.
EXPECTED = {
    "00-task-arithmetic": {
        "tables": ["zoo mini8", "negating τ(digits) on val", "task negation on test", "cosine similarity",
                   "θ_pre + λ·Σ τ_t on mini8", "first merged model vs its baselines"],
        "figures": ['XYChart "Scaling one task vector', 'XYChart "Task arithmetic θ_pre + λ·Σ τ_t'],
    },
    "01-cart": {
        "tables": ["tables and figures (%reproduce NAME)", "CART Table 1 on mini8", "Newer merges on mini8", "per-task test accuracy %",
                   "accuracy vs rank: CART", "per-task test accuracy % at rank 8 %", "row-space interference I(k), mean",
                   "reconstruction error and interference of the centered vectors", "normalized test accuracy vs number of tasks",
                   "CART-Indexing at rank 8 %", "CART-Indexing storage", "every claim of the CART notebook"],
        "figures": ['XYChart "CART search on val', 'XYChart "Accuracy vs rank (CART Figure 1)',
                    'XYChart "Per-task accuracy vs rank: CART', 'XYChart "Per-task accuracy vs rank: low-rank TA',
                    'XYChart "Row-space interference I(k)', 'XYChart "Reconstruction error R(k)',
                    'XYChart "Normalized accuracy vs number of tasks'],
    },
    "02-dvbasi": {
        "tables": ["tables and figures (%reproduce NAME)", "dvbasi history", "dvbasi on mini8 (test)",
                   "DV-BASI ablation (Table 1)", "stepwise relative accuracy (Figure 2a)", "growth within each iteration (Figure 2b)",
                   "sensitivity to the initial α (Figure 2c)", "task addition (Table 3)", "task negation (Table 2)",
                   "test-time adaptation (Table 4)", "single-task enhancement (Table 5)", "every claim of the DV-BASI notebook"],
        "figures": ['XYChart "Stepwise relative accuracy (DV-BASI Figure 2a)', 'XYChart "dvbasi: val accuracy per epoch',
                    'XYChart "DV-BASI vs initial α (Figure 2c)'],
    },
}


def text(value):
    return "".join(value) if isinstance(value, list) else (value or "")


def digest(folder):
    h = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".ipynb"):
            with open(os.path.join(folder, name), "rb") as f:
                h.update(name.encode() + f.read())
    return h.hexdigest()


class ReproduceQuickTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        notebooks = os.path.join(ROOT, "notebooks")
        before = digest(notebooks)
        started = time.time()
        run = subprocess.run([os.path.join(ROOT, "bin", "taulab"), "reproduce", "--quick", "--out", REPORT],
                             cwd=ROOT, capture_output=True, text=True, timeout=3600)
        cls.seconds = time.time() - started
        cls.process = run
        cls.unchanged = before == digest(notebooks)
        print("\nreproduce --quick: %.0f s, exit code %d" % (cls.seconds, run.returncode))
        print(run.stdout[-4000:])
        if run.returncode != 0:
            print(run.stderr[-4000:])
        with open(os.path.join(REPORT, "summary.json"), encoding="utf-8") as f:
            cls.summary = json.load(f)
        cls.executed = {}
        for n in cls.summary["notebooks"]:
            cls.executed[n["name"]] = nbformat.read(os.path.join(REPORT, n["notebook"]), as_version=4)

    def outputs(self, name):
        for cell in self.executed[name].cells:
            if cell.cell_type == "code":
                yield from cell.get("outputs", [])

    def test_exits_cleanly_and_runs_every_notebook(self):
        self.assertEqual(self.process.returncode, 0, self.process.stderr)
        names = sorted(f[:-6] for f in os.listdir(os.path.join(ROOT, "notebooks")) if f.endswith(".ipynb"))
        self.assertEqual(sorted(self.executed), names)
        self.assertTrue(self.summary["quick"])
        self.assertTrue(self.summary["kernelspec"].startswith(os.path.join(REPORT, "kernel")), self.summary["kernelspec"])

    def test_each_code_cell_is_reported_as_it_starts_and_ends(self):
        lines = self.process.stdout.splitlines()
        for name, nb in self.executed.items():
            total = sum(1 for c in nb.cells if c.cell_type == "code")
            for i in range(1, total + 1):
                where = "reproduce: %s [%d/%d]" % (name, i, total)
                started = [n for n, line in enumerate(lines) if line.startswith(where + " ") and not line.startswith(where + " done in ")]
                ended = [n for n, line in enumerate(lines) if re.match(re.escape(where) + r" done in \d+ s$", line)]
                self.assertEqual(1, len(started), where)
                self.assertEqual(1, len(ended), where)
                self.assertLess(started[0], ended[0], where)

    def test_no_cell_has_an_error(self):
        for name in self.executed:
            errors = [o for o in self.outputs(name) if o["output_type"] == "error"]
            self.assertEqual(errors, [], name)
            self.assertEqual(next(n for n in self.summary["notebooks"] if n["name"] == name)["errors"], [])

    def test_every_expected_table_and_figure_is_there(self):
        for name, expected in EXPECTED.items():
            self.assertIn(name, self.executed)
            captions = []
            titles = []
            for o in self.outputs(name):
                data = o.get("data", {})
                captions += re.findall(r"<caption>(.*?)</caption>", text(data.get("text/html")), re.S)
                if "image/png" in data:
                    png = base64.b64decode(text(data["image/png"]))
                    self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
                    self.assertGreater(len(png), 5000, text(data.get("text/plain")))
                    titles.append(text(data.get("text/plain")))
            captions = [c.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"') for c in captions]
            for table in expected["tables"]:
                self.assertTrue(any(c.startswith(table) for c in captions), "%s: no table '%s' in %s" % (name, table, captions))
            for figure in expected["figures"]:
                self.assertTrue(any(t.startswith(figure) for t in titles), "%s: no figure '%s' in %s" % (name, figure, titles))

    def test_claims_are_collected_and_summarized(self):
        claims = [c for n in self.summary["notebooks"] for c in n["claims"]]
        self.assertGreaterEqual(len(claims), 15)
        for c in claims:
            self.assertIn(c["status"], ("holds", "fails", "pending"))
            self.assertTrue(c["id"] and c["claim"])
        counted = [c for c in claims if c["status"] != "pending"]
        holds = [c for c in claims if c["status"] == "holds"]
        headline = "claims reproduced: %d of %d" % (len(holds), len(counted))
        lines = self.process.stdout.splitlines()
        self.assertIn(headline, lines)
        after = lines[lines.index(headline) + 1:]
        for c in claims:
            symbol = {"holds": "✓", "fails": "✗", "pending": "…"}[c["status"]]
            self.assertTrue(any(line.startswith("  %s %s: " % (symbol, c["id"])) for line in after), c["id"])
        for name in self.executed:
            bundles = [o["data"][CLAIM_MIME] for o in self.outputs(name) if CLAIM_MIME in o.get("data", {})]
            self.assertEqual(len(bundles), len(next(n for n in self.summary["notebooks"] if n["name"] == name)["claims"]))

    def test_index_links_every_notebook_and_lists_every_claim(self):
        with open(os.path.join(REPORT, "index.html"), encoding="utf-8") as f:
            index = f.read()
        for n in self.summary["notebooks"]:
            self.assertIn('href="%s"' % n["html"], index)
            self.assertTrue(os.path.isfile(os.path.join(REPORT, n["html"])))
            for fig in n["figures"]:
                self.assertIn('src="%s"' % fig["file"], index)
                self.assertTrue(os.path.isfile(os.path.join(REPORT, fig["file"])))
        self.assertIn('<h2 id="headline">claims reproduced:', index)
        self.assertEqual(index.count('<tr class="claim"'), sum(len(n["claims"]) for n in self.summary["notebooks"]))

    def test_quick_mode_leaves_the_committed_notebooks_alone(self):
        self.assertTrue(self.unchanged)
        self.assertFalse(any(n["written_back"] for n in self.summary["notebooks"]))


if __name__ == "__main__":
    unittest.main()
