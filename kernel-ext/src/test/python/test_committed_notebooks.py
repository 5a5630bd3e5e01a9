"""The notebooks committed in notebooks/ as a reader finds them: run in full (every code cell executed, in order),
no error outputs, nothing of the machine that ran them (absolute paths of a home, a checkout or a temporary
folder) in their sources or outputs, and every file of the repository their text names present.

Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_committed_notebooks.py'
"""
import glob
import json
import os
import re
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
# an absolute path under a folder that exists only on the machine that ran the notebook
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:work|tmp|root|home|Users|var/folders|private)/[\w.+-]+")


# a file or folder of this repository named in a notebook's text
REPO_PATH = re.compile(r"(?<![\w/])(?:docs|repro|dsl|kernel-ext|bench|zoo|scripts|notebooks|data-manifests)/[\w./-]*[\w/]")


def notebooks():
    return sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))


class CommittedNotebooksTest(unittest.TestCase):
    def test_there_are_the_three_reproduction_notebooks(self):
        names = [os.path.basename(p) for p in notebooks()]
        for expected in ("00-task-arithmetic.ipynb", "01-cart.ipynb", "02-dvbasi.ipynb"):
            self.assertIn(expected, names)

    def test_every_code_cell_ran_in_order_without_errors(self):
        for path in notebooks():
            with open(path, encoding="utf-8") as f:
                nb = json.load(f)
            counts = [c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"]
            name = os.path.basename(path)
            self.assertTrue(counts and all(isinstance(n, int) for n in counts), (name, counts))
            self.assertEqual(counts, sorted(counts), name)
            errors = [o.get("ename") for c in nb["cells"] if c["cell_type"] == "code"
                      for o in c.get("outputs", []) if o["output_type"] == "error"]
            self.assertEqual(errors, [], name)

    def test_no_machine_paths(self):
        for path in notebooks():
            with open(path, encoding="utf-8") as f:
                text = f.read()
            found = sorted(set(m.group(0) for m in MACHINE_PATH.finditer(text)))
            self.assertEqual(found, [], os.path.basename(path))

    def test_every_file_the_text_names_is_in_the_repository(self):
        for path in notebooks():
            with open(path, encoding="utf-8") as f:
                nb = json.load(f)
            prose = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
            self.assertNotIn("ALGORITHMS.md", prose, os.path.basename(path))
            for named in sorted(set(REPO_PATH.findall(prose))):
                self.assertTrue(os.path.exists(os.path.join(ROOT, named.rstrip("."))), (os.path.basename(path), named))

    def test_the_pattern_finds_what_it_should(self):
        self.assertTrue(MACHINE_PATH.search("zoo mini8: 8 tasks in /work/wt-nb/zoo/mini8"))
        self.assertTrue(MACHINE_PATH.search('"/home/ana/taulab/out"'))
        self.assertIsNone(MACHINE_PATH.search("zoo mini8: 8 tasks in zoo/mini8 (see docs/tmp/x and ~/tmp/y)"))


if __name__ == "__main__":
    unittest.main()
