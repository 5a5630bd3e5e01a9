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


if __name__ == "__main__":
    unittest.main()
