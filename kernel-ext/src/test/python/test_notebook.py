"""Executes kernel-smoke.ipynb headlessly with the taulab kernel through nbclient and checks its outputs:
an HTML table, a PNG chart, the %%tau result, an updated progress bar, and no errors.

Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_notebook.py'
"""
import os
import unittest

import nbformat
from nbclient import NotebookClient

NOTEBOOK = os.path.join(os.path.dirname(__file__), "..", "resources", "notebooks", "kernel-smoke.ipynb")


class NotebookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(nb, kernel_name="taulab", timeout=120, startup_timeout=60).execute()
        cls.outputs = [c.get("outputs", []) for c in nb.cells if c.cell_type == "code"]
        out_dir = os.environ.get("TAULAB_NOTEBOOK_OUT")
        if out_dir:
            os.makedirs(out_dir, exist_ok=True)
            nbformat.write(nb, os.path.join(out_dir, "kernel-smoke.ipynb"))

    def data(self, cell):
        return [o["data"] for o in self.outputs[cell] if "data" in o]

    def test_no_cell_has_an_error(self):
        errors = [o for outs in self.outputs for o in outs if o["output_type"] == "error"]
        self.assertEqual(errors, [])

    def test_table_is_html_with_its_rows(self):
        html = self.data(0)[0]["text/html"]
        self.assertIn("<caption>scores</caption>", html)
        self.assertIn("task arithmetic", html)
        self.assertIn("0.83", html)

    def test_chart_is_a_png(self):
        import base64
        png = base64.b64decode(self.data(1)[0]["image/png"])
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        self.assertGreater(len(png), 5000)

    def test_tau_cell_shows_its_last_value(self):
        result = [o for o in self.outputs[2] if o["output_type"] == "execute_result"]
        self.assertEqual(len(result), 1)
        self.assertAlmostEqual(float(result[0]["data"]["text/plain"]), 4.2, places=9)

    def test_tau_names_are_java_variables_and_progress_is_shown(self):
        outs = self.outputs[3]
        bars = [o for o in outs if o["output_type"] == "display_data"]
        self.assertEqual(len(bars), 1)
        self.assertIn("10/10", bars[0]["data"]["text/plain"])
        result = [o for o in outs if o["output_type"] == "execute_result"]
        self.assertEqual(result[0]["data"]["text/plain"], "k = 14")


if __name__ == "__main__":
    unittest.main()
