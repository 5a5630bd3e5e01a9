"""A new notebook in Jupyter Notebook, driven in headless Chromium through Selenium (Debian's chromium,
chromium-driver and python3-selenium), as a user would: `bin/taulab lab` serves it, the notebook is made from the
New menu's TauLab entry, cells are typed or pasted and run with Shift+Enter, and what the browser shows is read back
from the page. The cells: `%maven` of a small artifact (with a dependency of its own) from the local Maven repository,
a class from it used in the next cell, `%zoo`, a `%%tau` merge, its evaluation as a table, a bar chart, a display
updated in place while its cell runs, a Java error naming its line, and a `%%tau` error naming the unknown task.
Screenshots of each step go to out/browser/ (or $TAULAB_BROWSER_OUT).

Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_notebook_browser.py'
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
OUT = os.path.abspath(os.environ.get("TAULAB_BROWSER_OUT", os.path.join(ROOT, "out", "browser")))
GROUP = "org.taulab.browsertest"
TOKEN = "taulab-browser-test"

GREETER = """package demo;
public final class Greeter {
    public static String hi(String who) { return demo.words.Salutation.word() + ", " + who; }
}
"""
SALUTATION = """package demo.words;
public final class Salutation {
    public static String word() { return "hello"; }
}
"""


def pom(artifact, dependency=None):
    deps = ""
    if dependency:
        deps = ("<dependencies><dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>1.0</version>"
                "</dependency></dependencies>") % (GROUP, dependency)
    return ('<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
            "<groupId>%s</groupId><artifactId>%s</artifactId><version>1.0</version><packaging>jar</packaging>%s</project>\n"
            % (GROUP, artifact, deps))


def install_artifacts(work):
    """Compiles greeter (which needs salutation) and writes both, jar and POM, into the local Maven repository."""
    repo = os.path.join(os.path.expanduser("~"), ".m2", "repository", *GROUP.split("."))
    src = os.path.join(work, "src")
    for path, text in (("demo/Greeter.java", GREETER), ("demo/words/Salutation.java", SALUTATION)):
        os.makedirs(os.path.join(src, os.path.dirname(path)), exist_ok=True)
        with open(os.path.join(src, path), "w", encoding="utf-8") as f:
            f.write(text)
    for artifact, sources, classpath, dependency in (
            ("salutation", ["demo/words/Salutation.java"], None, None),
            ("greeter", ["demo/Greeter.java"], os.path.join(repo, "salutation", "1.0", "salutation-1.0.jar"), "salutation")):
        classes = os.path.join(work, artifact)
        os.makedirs(classes, exist_ok=True)
        cmd = ["javac", "--release", "17", "-d", classes] + (["-cp", classpath] if classpath else [])
        subprocess.run(cmd + [os.path.join(src, s) for s in sources], check=True)
        target = os.path.join(repo, artifact, "1.0")
        os.makedirs(target, exist_ok=True)
        subprocess.run(["jar", "--create", "--file", os.path.join(target, artifact + "-1.0.jar"), "-C", classes, "."], check=True)
        with open(os.path.join(target, artifact + "-1.0.pom"), "w", encoding="utf-8") as f:
            f.write(pom(artifact, dependency))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise AssertionError("headless Chromium not found: install the Debian package chromium (scripts/apt-packages.txt)")


# (name, how it is entered: "type" for keystrokes, "paste" for the cell's text set at once, source)
CELLS = [
    ("maven", "type", "%maven " + GROUP + ":greeter:1.0"),
    ("use-class", "type", 'demo.Greeter.hi("notebook")'),
    ("zoo", "type", "%zoo mini8"),
    ("tau-merge", "paste", '%%tau\n# task arithmetic of two tasks, the papers\' way\n'
                           'theta = pre + 0.3 * (tau(ft.get("fashion")) + tau(ft.get("digits")))\ntheta'),
    ("table", "paste", 'var bench = ZooEvaluator.of(zoo, 200);\nvar scores = bench.evaluate(theta, "test");\n'
                       'bench.table("task arithmetic, λ = 0.3", scores)'),
    ("chart", "paste", 'CategoryChart bars = new CategoryChartBuilder().width(640).height(360).title("task arithmetic on test")'
                       '.xAxisTitle("task").yAxisTitle("accuracy (%)").build();\n'
                       'bars.addSeries("λ = 0.3", new ArrayList<>(scores.accuracy().keySet()),\n'
                       '    scores.accuracy().values().stream().map(a -> 100 * a).collect(Collectors.toList()));\n'
                       'bars.getStyler().setXAxisLabelRotation(45);\nbars'),
    ("updated-display", "paste", 'var shown = display("step 0 of 3");\n'
                                 'for (int i = 1; i <= 3; i++) { Thread.sleep(300); updateDisplay(shown, "step " + i + " of 3"); }'),
    ("java-error", "paste", "int[] counts = new int[2];\ncounts[5] = 1;\nSystem.out.println(\"not reached\");"),
    ("tau-error", "paste", '%%tau\nx = 1\ny = tau(ft.get("fashon"))'),
]


class NotebookInBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="taulab-browser-")
        install_artifacts(cls.work)
        os.makedirs(OUT, exist_ok=True)
        for old in os.listdir(OUT):
            if old.endswith(".png"):
                os.remove(os.path.join(OUT, old))
        cls.notebooks = os.path.join(cls.work, "notebooks")
        os.makedirs(cls.notebooks)
        cls.port = free_port()
        env = dict(os.environ, JUPYTER_TOKEN=TOKEN)
        with open(os.path.join(cls.work, "lab.log"), "w") as log:
            cls.lab = subprocess.Popen([os.path.join(ROOT, "bin", "taulab"), "lab", "--port", str(cls.port), "--dir", cls.notebooks],
                                       cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        cls.base = "http://127.0.0.1:%d" % cls.port
        cls.wait_for_server()
        options = webdriver.ChromeOptions()
        options.binary_location = chromium()
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400",
                    "--user-data-dir=" + os.path.join(cls.work, "profile")):
            options.add_argument(arg)
        driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        cls.driver = webdriver.Chrome(service=Service(driver_path), options=options)
        cls.driver.set_script_timeout(30)
        try:
            cls.run_notebook()
        except Exception:
            cls.driver.save_screenshot(os.path.join(OUT, "failure.png"))
            cls.tearDownClass()
            raise

    @classmethod
    def wait_for_server(cls):
        deadline = time.time() + 90
        while time.time() < deadline:
            if cls.lab.poll() is not None:
                raise AssertionError("bin/taulab lab exited with %s: %s" % (cls.lab.returncode, cls.lab_log()))
            try:
                with urllib.request.urlopen(cls.base + "/api/status?token=" + TOKEN, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise AssertionError("Jupyter Notebook did not answer on port %d: %s" % (cls.port, cls.lab_log()))

    @classmethod
    def lab_log(cls):
        with open(os.path.join(cls.work, "lab.log"), encoding="utf-8", errors="replace") as f:
            return f.read()[-2000:]

    @classmethod
    def js(cls, script, *args):
        return cls.driver.execute_script(script, *args)

    @classmethod
    def wait(cls, what, condition, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError("timed out after %d s waiting for %s" % (timeout, what))

    @classmethod
    def run_notebook(cls):
        d = cls.driver
        d.get(cls.base + "/tree?token=" + TOKEN)
        cls.wait("the file list", lambda: d.find_elements(By.ID, "new-dropdown-button"), 60)
        tree = d.current_window_handle
        cls.wait("TauLab among the kernels", lambda: d.find_elements(By.CSS_SELECTOR, "#kernel-taulab a"), 30)
        d.find_element(By.ID, "new-dropdown-button").click()
        cls.wait("the New menu open", lambda: d.find_element(By.CSS_SELECTOR, "#kernel-taulab a").is_displayed(), 10)
        d.save_screenshot(os.path.join(OUT, "00-new-menu.png"))
        d.find_element(By.CSS_SELECTOR, "#kernel-taulab a").click()
        cls.wait("the new notebook's window", lambda: len(d.window_handles) > 1, 30)
        d.switch_to.window([h for h in d.window_handles if h != tree][0])
        cls.wait("the TauLab kernel", lambda: cls.js(
            "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"
            " && Jupyter.notebook.kernel.name === 'taulab' && !Jupyter.notebook.kernel_busy)"), 120)
        cls.kernel_name = cls.js("return Jupyter.notebook.kernel.name")
        cls.shown = {}
        for i, (name, how, source) in enumerate(CELLS):
            cls.wait("cell %d to be selected" % i, lambda: cls.js("return Jupyter.notebook.get_selected_index()") == i, 10)
            cls.js("var c = Jupyter.notebook.get_selected_cell(); c.code_mirror.focus(); c.code_mirror.setCursor(0, 0);")
            if how == "type":
                ActionChains(d).send_keys(source).perform()
            else:
                cls.js("Jupyter.notebook.get_selected_cell().set_text(arguments[0]);", source)
            ActionChains(d).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
            cls.wait("cell %d (%s) to finish" % (i, name), lambda: cls.js(
                "var n = Jupyter.notebook.get_cell(arguments[0]).input_prompt_number;"
                " return typeof n === 'number' && !Jupyter.notebook.kernel_busy;", i), 240)
            cls.shown[name] = cls.js(
                "var c = Jupyter.notebook.get_cell(arguments[0]); var e = c.output_area.element[0];"
                " e.scrollIntoView();"
                " return {source: c.get_text(), text: e.innerText, html: e.innerHTML,"
                " errors: e.querySelectorAll('.output_error').length, outputs: c.output_area.outputs.length,"
                " images: Array.prototype.map.call(e.querySelectorAll('img'), function (img) {"
                "   return {ok: img.complete && img.naturalWidth > 0, width: img.naturalWidth}; })};", i)
            d.save_screenshot(os.path.join(OUT, "%02d-%s.png" % (i + 1, name)))
        cls.js("Jupyter.notebook.save_notebook();")
        cls.saved = cls.wait("the notebook saved with its outputs", cls.saved_notebook, 30)

    @classmethod
    def saved_notebook(cls):
        files = [f for f in os.listdir(cls.notebooks) if f.endswith(".ipynb")]
        if len(files) != 1:
            return None
        with open(os.path.join(cls.notebooks, files[0]), encoding="utf-8") as f:
            nb = json.load(f)
        cells = [c for c in nb["cells"] if c["cell_type"] == "code" and c.get("execution_count")]
        return nb if len(cells) == len(CELLS) else None

    @classmethod
    def tearDownClass(cls):
        driver = getattr(cls, "driver", None)
        if driver is not None:
            try:
                driver.execute_script("if (window.Jupyter && Jupyter.notebook) { Jupyter.notebook.session.delete(); }")
                time.sleep(1)
            except Exception:
                pass
            driver.quit()
            cls.driver = None
        if cls.lab.poll() is None:
            os.killpg(cls.lab.pid, signal.SIGTERM)
            try:
                cls.lab.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(cls.lab.pid, signal.SIGKILL)
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_the_new_notebook_runs_the_taulab_kernel(self):
        self.assertEqual(self.kernel_name, "taulab")
        self.assertEqual(self.saved["metadata"]["kernelspec"]["name"], "taulab")

    def test_typed_cells_arrive_as_typed(self):
        for name, how, source in CELLS:
            self.assertEqual(self.shown[name]["source"], source, name)

    def test_maven_adds_the_artifact_and_its_dependency(self):
        text = self.shown["maven"]["text"]
        self.assertIn("greeter-1.0.jar", text)
        self.assertIn("salutation-1.0.jar", text)
        self.assertEqual(self.shown["maven"]["errors"], 0, text)

    def test_the_next_cell_uses_the_class(self):
        self.assertEqual(self.shown["use-class"]["errors"], 0, self.shown["use-class"]["text"])
        self.assertIn("hello, notebook", self.shown["use-class"]["text"])

    def test_zoo_and_tau_merge(self):
        self.assertIn("fashion", self.shown["zoo"]["text"])
        self.assertEqual(self.shown["tau-merge"]["errors"], 0, self.shown["tau-merge"]["text"])
        # the merged model shows its provenance and size: mini8's encoder has 810,368 float parameters
        self.assertIn("0.3·(τ(fashion) + τ(digits))", self.shown["tau-merge"]["text"])
        self.assertIn("810,368 float parameters", self.shown["tau-merge"]["text"])

    def test_the_table_shows_every_task_and_a_consistent_average(self):
        html = self.shown["table"]["html"]
        self.assertIn("task arithmetic, λ = 0.3", html)
        rows = re.findall(r"<tr><td[^>]*>([^<]+)</td><td[^>]*>([0-9.]+)</td><td[^>]*>([0-9.]+)</td></tr>", html)
        tasks = {t: float(a) for t, a, _ in rows}
        self.assertEqual(len(tasks), 9, html[:400])  # mini8's eight tasks and the average
        average = tasks.pop("average")
        for task, accuracy in tasks.items():
            self.assertTrue(0 <= accuracy <= 100, (task, accuracy))
        # the average row is the mean of the shown rows (each rounded to 0.1)
        self.assertAlmostEqual(average, sum(tasks.values()) / len(tasks), delta=0.06)

    def test_the_chart_is_an_image_the_browser_drew(self):
        images = self.shown["chart"]["images"]
        self.assertEqual(len(images), 1, self.shown["chart"]["html"][:300])
        self.assertTrue(images[0]["ok"])
        self.assertEqual(images[0]["width"], 640)

    def test_the_display_was_updated_in_place(self):
        shown = self.shown["updated-display"]
        self.assertEqual(shown["outputs"], 1, shown["text"])
        self.assertIn("step 3 of 3", shown["text"])
        self.assertNotIn("step 0 of 3", shown["text"])
        saved = [c for c in self.saved["cells"] if c["cell_type"] == "code"][CELLS.index(
            next(c for c in CELLS if c[0] == "updated-display"))]
        self.assertEqual(len(saved["outputs"]), 1)
        self.assertIn("step 3 of 3", json.dumps(saved["outputs"][0]["data"]))

    def test_a_java_error_names_its_line(self):
        shown = self.shown["java-error"]
        self.assertEqual(shown["errors"], 1, shown["text"])
        self.assertIn("ArrayIndexOutOfBoundsException", shown["text"])
        self.assertIn("line 2: counts[5] = 1;", shown["text"])
        self.assertNotIn("not reached", shown["text"])

    def test_a_tau_error_names_the_unknown_task_and_the_known_ones(self):
        shown = self.shown["tau-error"]
        self.assertEqual(shown["errors"], 1, shown["text"])
        self.assertIn("fashon", shown["text"])
        self.assertIn("digits", shown["text"])
        self.assertRegex(shown["text"], r"line 3")

    def test_screenshots_are_written(self):
        shots = sorted(f for f in os.listdir(OUT) if f.endswith(".png"))
        self.assertEqual(len(shots), len(CELLS) + 1, shots)
        for shot in shots:
            with open(os.path.join(OUT, shot), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", shot)


if __name__ == "__main__":
    unittest.main()
