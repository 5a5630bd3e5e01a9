"""Jupyter protocol conformance of the TauLab kernel (jupyter_kernel_test, every optional sample filled in).

Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_kernel_conformance.py'
(the taulab kernelspec must be installed: bin/taulab kernel install --user)
"""
import unittest

import jupyter_kernel_test


class TauLabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "taulab"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    code_generate_error = 'throw new IllegalStateException("boom");'

    completion_samples = [
        {"text": "Math.sq", "matches": {"sqrt("}},
        {"text": "%lsma", "matches": {"lsmagic"}},
        {"text": "%%ta", "matches": {"tau"}},
    ]

    complete_code_samples = ["1 + 1", "int n = 3;", "for (int i = 0; i < 2; i++) { n += i; }", "%tau 2 * (3 + 4)",
                             "%%tau\nx = 1 +\\\n  2"]
    incomplete_code_samples = ["for (int i = 0; i < 2; i++) {", "String s = \"a\" +", "%%tau\ny = (1 +"]
    invalid_code_samples = ["int 1x = 3;", "%%tau\ny = 1 +* 2"]

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "\"tau\" + \"lab\"", "result": "taulab"},
        {"code": "%tau 2 * (3 + 4)", "result": "14"},
        {"code": "%%tau\na = 8%\na * 100", "result": "8.0"},
    ]
    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": "display(Table.create(\"t\", IntColumn.create(\"n\", 1, 2)));", "mime": "text/html"},
        {"code": "%%html\n<b>bold</b>", "mime": "text/html"},
        {"code": "display(new XYChartBuilder().width(400).height(300).build());", "mime": "image/png"},
    ]

    code_inspect_sample = "Math.max"
    code_clear_output = "clearOutput();"
    code_page_something = "Math.max?"



class TauLabInterruptTest(unittest.TestCase):
    """An interrupt_request (interrupt_mode "message") stops a busy loop; the next cell runs normally."""

    def test_busy_loop_is_interrupted(self):
        import time
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name="taulab")
        try:
            kc.execute_interactive("long n = 0;", timeout=60)
            msg_id = kc.execute("while (true) { n++; }")
            time.sleep(1.0)
            start = time.time()
            km.interrupt_kernel()
            while True:
                reply = kc.get_shell_msg(timeout=10)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            self.assertLess(time.time() - start, 2.0)
            self.assertEqual(reply["content"]["status"], "error")
            self.assertEqual(reply["content"]["ename"], "Interrupted")
            after = kc.execute_interactive("6 * 7", timeout=30)
            self.assertEqual(after["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


def ignore(_message):
    pass


class TauLabStopOnErrorTest(unittest.TestCase):
    """stop_on_error: after a failing cell, the execute requests already queued are answered "aborted"."""

    @classmethod
    def setUpClass(cls):
        from jupyter_client.manager import start_new_kernel
        cls.km, cls.kc = start_new_kernel(kernel_name="taulab")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def replies(self, msg_ids):
        """The shell replies to msg_ids, in that order, as (msg_type, content)."""
        got = {}
        while len(got) < len(msg_ids):
            reply = self.kc.get_shell_msg(timeout=60)
            parent = reply["parent_header"].get("msg_id")
            if parent in msg_ids:
                got[parent] = (reply["header"]["msg_type"], reply["content"])
        return [got[m] for m in msg_ids]

    def statuses(self, msg_ids):
        replies = self.replies(msg_ids)
        for msg_type, _ in replies:
            self.assertEqual(msg_type, "execute_reply")
        return [content["status"] for _, content in replies]

    def test_queued_cells_after_an_error_are_aborted(self):
        # the failing cell sleeps first, so the next two are surely waiting when it fails
        ids = [self.kc.execute('Thread.sleep(700); throw new IllegalStateException("first");'),
               self.kc.execute("int ranAfterError = 1;"),
               self.kc.execute("System.out.println(99);")]
        self.assertEqual(self.statuses(ids), ["error", "aborted", "aborted"])
        after = self.kc.execute_interactive("6 * 7", timeout=60, output_hook=ignore)
        self.assertEqual(after["content"]["status"], "ok")
        never_defined = self.kc.execute_interactive("ranAfterError", timeout=60, output_hook=ignore)
        self.assertEqual(never_defined["content"]["status"], "error")

    def test_stop_on_error_false_runs_the_queue(self):
        ids = [self.kc.execute('Thread.sleep(700); throw new IllegalStateException("first");', stop_on_error=False),
               self.kc.execute("int ranAnyway = 5;"),
               self.kc.execute("ranAnyway + 1")]
        self.assertEqual(self.statuses(ids), ["error", "ok", "ok"])

    def test_a_queued_completion_is_still_answered(self):
        failing = self.kc.execute('Thread.sleep(700); throw new IllegalStateException("first");')
        completion = self.kc.complete("Math.sq", 7)
        queued = self.kc.execute("int skipped = 1;")
        (_, first), (completion_type, completed), (_, skipped) = self.replies([failing, completion, queued])
        self.assertEqual((first["status"], skipped["status"]), ("error", "aborted"))
        self.assertEqual(completion_type, "complete_reply")
        self.assertIn("sqrt(", completed["matches"])


class TauLabOutsideTheCheckoutTest(unittest.TestCase):
    """A notebook opened in another folder still finds TauLab's data: the kernelspec names the checkout."""

    def test_zoo_magic_from_another_folder(self):
        import tempfile
        from jupyter_client.manager import start_new_kernel
        with tempfile.TemporaryDirectory() as elsewhere:
            km, kc = start_new_kernel(kernel_name="taulab", cwd=elsewhere)
            try:
                results = []
                reply = kc.execute_interactive("%zoo", timeout=120, output_hook=lambda m: results.append(m))
                self.assertEqual(reply["content"]["status"], "ok")
                tables = [m for m in results if m["msg_type"] == "execute_result" and "text/html" in m["content"]["data"]]
                self.assertEqual(len(tables), 1)
                self.assertIn("mini8", tables[0]["content"]["data"]["text/plain"])
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
