"""bin/taulab's class-data-sharing archive: made after a build, used by every command, remade when the build changes,
and never in the way when it cannot be made.

`-Xshare:on` makes the JVM refuse to start unless it maps the archive and the class path matches the one the archive
was made with; the class-loading log then says which classes came from it.
Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_launcher.py'
"""
import os
import shutil
import subprocess
import tempfile
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
TAULAB = os.path.join(ROOT, "bin", "taulab")
TARGET = os.path.join(ROOT, "kernel-ext", "target")
ARCHIVE = os.path.join(TARGET, "taulab-cli.jsa")
STAMP = os.path.join(TARGET, ".taulab-built")


def taulab(*args, java_opts="", java_home=None):
    env = dict(os.environ, JAVA_OPTS=java_opts)
    env.pop("JAVA_HOME", None)
    if java_home:
        env["JAVA_HOME"] = java_home
    return subprocess.run([TAULAB, *args], capture_output=True, text=True, env=env, timeout=600)


class LauncherArchiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        built = taulab("--help")  # builds if needed, then makes the archive
        assert built.returncode == 0, built.stderr

    def test_every_command_takes_its_classes_from_the_archive(self):
        for args in (["--help"], ["merge", "--help"], ["inspect", "--help"]):
            r = taulab(*args, java_opts="-Xshare:on -Xlog:class+load=info")
            self.assertEqual(r.returncode, 0, f"{args}: {r.stderr}")
            self.assertIn("Usage: taulab", r.stdout)
            for cls in ("org.taulab.cli.TauLabCli", "picocli.CommandLine", "org.taulab.cli.MergeCommand"):
                self.assertIn(f"{cls} source: shared objects file", r.stdout, args)

    def test_a_new_build_gets_a_new_archive(self):
        time.sleep(0.05)
        os.utime(STAMP)  # what a rebuild does
        self.assertLess(os.path.getmtime(ARCHIVE), os.path.getmtime(STAMP))
        r = taulab("--help", java_opts="-Xshare:on")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreater(os.path.getmtime(ARCHIVE), os.path.getmtime(STAMP))
        self.assertEqual([], [f for f in os.listdir(TARGET) if f.endswith(".partial")])

    def test_a_jvm_that_cannot_make_it_still_runs_commands_and_is_not_retried(self):
        with tempfile.TemporaryDirectory() as fake_home:
            os.mkdir(os.path.join(fake_home, "bin"))
            java = os.path.join(fake_home, "bin", "java")
            real = shutil.which("java", path="/usr/bin:/bin") or "java"
            with open(java, "w") as f:
                f.write("#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = -Xshare:dump ] && exit 1; done\n"
                        f"exec {real} \"$@\"\n")
            os.chmod(java, 0o755)
            try:
                first = taulab("--help", java_home=fake_home)
                self.assertEqual(first.returncode, 0, first.stderr)
                self.assertIn("Usage: taulab", first.stdout)
                self.assertIn("could not make the class-data archive", first.stderr)
                self.assertFalse(os.path.exists(ARCHIVE))
                again = taulab("--help", java_home=fake_home)
                self.assertEqual(again.returncode, 0, again.stderr)
                self.assertNotIn("class-data archive", again.stderr)
            finally:
                restored = taulab("--help", java_opts="-Xshare:on")  # the real JVM makes it again
        self.assertEqual(restored.returncode, 0, restored.stderr)
        self.assertNotIn("class-data archive", restored.stderr)
        self.assertTrue(os.path.exists(ARCHIVE))


if __name__ == "__main__":
    unittest.main()
