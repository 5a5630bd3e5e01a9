"""Opens the reproduction report in headless Chromium (Debian package `chromium`) and checks that every image
loaded: out/report/index.html (its figure gallery) and each executed notebook's HTML page (figures embedded
as data URIs). Saves a screenshot of the index as out/report/screenshot.png.

How: a copy of each page, beside it so relative paths resolve, gets a small script that waits for every
<img> to load or fail and writes [{src, ok, width}] into a <pre>; `chromium --headless --dump-dom` prints the
page after it ran. Runs after test_reproduce.py (same $TAULAB_REPORT_DIR, default out/report); when there is no
report yet it makes one with `bin/taulab reproduce --quick`.
Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_report_browser.py'
"""
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
REPORT = os.path.abspath(os.environ.get("TAULAB_REPORT_DIR", os.path.join(ROOT, "out", "report")))

CHECK = """<script>
document.addEventListener('DOMContentLoaded', function () {
  var imgs = Array.prototype.slice.call(document.images);
  Promise.all(imgs.map(function (img) {
    return img.complete ? null : new Promise(function (done) { img.addEventListener('load', done); img.addEventListener('error', done); });
  })).then(function () {
    var pre = document.createElement('pre');
    pre.id = 'taulab-img-check';
    pre.textContent = JSON.stringify(imgs.map(function (img) {
      return {src: (img.getAttribute('src') || '').slice(0, 60), ok: img.complete && img.naturalWidth > 0, width: img.naturalWidth};
    }));
    document.body.appendChild(pre);
  });
});
</script>"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class ReportInBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.browser = chromium()
        if cls.browser is None:
            raise AssertionError("headless Chromium not found: install the Debian package chromium (scripts/apt-packages.txt)")
        if not os.path.isfile(os.path.join(REPORT, "summary.json")):
            subprocess.run([os.path.join(ROOT, "bin", "taulab"), "reproduce", "--quick", "--out", REPORT], cwd=ROOT, check=True)
        with open(os.path.join(REPORT, "summary.json"), encoding="utf-8") as f:
            cls.summary = json.load(f)
        cls.profile = tempfile.mkdtemp(prefix="taulab-chromium-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.profile, ignore_errors=True)

    def run_chromium(self, *args):
        command = [self.browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--user-data-dir=" + self.profile, "--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw"]
        return subprocess.run(command + list(args), capture_output=True, text=True, timeout=300)

    def images(self, page):
        """What the page's images did in Chromium: [{src, ok, width}]."""
        with open(os.path.join(REPORT, page), encoding="utf-8") as f:
            source = f.read()
        probe = os.path.join(REPORT, ".check-" + page)
        with open(probe, "w", encoding="utf-8") as f:
            f.write(source.replace("</head>", CHECK + "</head>", 1))
        try:
            run = self.run_chromium("--dump-dom", "file://" + probe)
        finally:
            os.remove(probe)
        found = re.search(r'<pre id="taulab-img-check">(.*?)</pre>', run.stdout, re.S)
        self.assertIsNotNone(found, "%s: the image check did not run (stderr: %s)" % (page, run.stderr[-2000:]))
        return json.loads(html.unescape(found.group(1)))

    def test_every_figure_of_the_index_loads(self):
        images = self.images("index.html")
        expected = sum(len(n["figures"]) for n in self.summary["notebooks"])
        self.assertGreater(expected, 0)
        self.assertEqual(len(images), expected)
        broken = [i for i in images if not i["ok"]]
        self.assertEqual(broken, [])

    def test_every_figure_of_each_notebook_page_loads(self):
        for n in self.summary["notebooks"]:
            images = self.images(n["html"])
            self.assertGreaterEqual(len(images), len(n["figures"]), n["html"])
            broken = [i for i in images if not i["ok"]]
            self.assertEqual(broken, [], n["html"])
            self.assertTrue(all(i["width"] >= 480 for i in images if i["src"].startswith("data:image/png")), n["html"])

    def test_screenshot_of_the_index(self):
        shot = os.path.join(REPORT, "screenshot.png")
        if os.path.exists(shot):
            os.remove(shot)
        run = self.run_chromium("--window-size=1280,2200", "--screenshot=" + shot, "file://" + os.path.join(REPORT, "index.html"))
        self.assertTrue(os.path.isfile(shot), run.stderr[-2000:])
        with open(shot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(shot), 20000)


if __name__ == "__main__":
    unittest.main()
