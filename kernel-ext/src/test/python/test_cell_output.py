"""What cells print reaches the notebook: every line of a large print, in order; whole UTF-8 characters;
prints before a display come before it; a display is replaced in place by its handle; a thread's print after its cell finished shows in the next cell, marked.

Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_cell_output.py'
(the taulab kernelspec must be installed: bin/taulab kernel install --user)
"""
import time
import unittest

from jupyter_client.manager import start_new_kernel

MARKER = "[printed after its cell had finished]"


class CellOutputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="taulab")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=300):
        """The cell's iopub messages (stream, display_data, execute_result, error) until it is idle."""
        msg_id = self.kc.execute(code)
        out = []
        deadline = time.time() + timeout
        while True:
            msg = self.kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] == "idle":
                break
            if kind in ("stream", "display_data", "update_display_data", "execute_result", "error"):
                out.append(msg)
        reply = self.kc.get_shell_msg(timeout=timeout)
        self.assertEqual("ok", reply["content"]["status"], str(out[-1:]))
        return out

    @staticmethod
    def stdout(messages):
        return "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")

    def test_every_line_of_a_large_print_arrives_in_order(self):
        lines = 200_000
        messages = self.run_cell(f"for (int i = 0; i < {lines}; i++) System.out.println(\"line \" + i);")
        text = self.stdout(messages).splitlines()
        self.assertEqual(lines, len(text))
        self.assertEqual([f"line {i}" for i in range(lines)], text)
        self.assertLess(len(messages), lines / 20, "lines are batched into few messages")

    def test_multibyte_characters_arrive_whole(self):
        messages = self.run_cell('System.out.print("é€😀".repeat(40_000)); System.out.println();')
        self.assertEqual("é€😀" * 40_000 + "\n", self.stdout(messages))

    def test_a_print_comes_before_the_display_that_follows_it(self):
        messages = self.run_cell('System.out.println("before"); display(Table.create("t", IntColumn.create("n", 1))); '
                                 'System.out.println("after");')
        kinds = [(m["msg_type"], m["content"].get("text", "")) for m in messages]
        first_display = next(i for i, (k, _) in enumerate(kinds) if k == "display_data")
        self.assertEqual("before\n", "".join(t for k, t in kinds[:first_display] if k == "stream"))
        self.assertEqual("after\n", "".join(t for k, t in kinds[first_display:] if k == "stream"))

    def test_a_display_is_replaced_in_place_by_its_handle(self):
        messages = self.run_cell('var d = display(Table.create("t", IntColumn.create("n", new int[] {1})));\n'
                                 'd.update(Table.create("t", IntColumn.create("n", new int[] {7})));\n'
                                 'updateDisplay(d.id(), "three");\n'
                                 'd')
        kinds = [m["msg_type"] for m in messages]
        self.assertEqual(["display_data", "update_display_data", "update_display_data"], kinds, "and no result for the handle")
        ids = {m["content"]["transient"]["display_id"] for m in messages}
        self.assertEqual(1, len(ids), "one display id throughout")
        self.assertIn("7", messages[1]["content"]["data"]["text/plain"])
        self.assertEqual("three", messages[2]["content"]["data"]["text/plain"])

    def test_a_threads_late_print_shows_in_the_next_cell_marked(self):
        self.run_cell('new Thread(() -> { try { Thread.sleep(700); } catch (InterruptedException e) { } '
                      'System.out.println("late from the thread"); }).start();')
        time.sleep(2.0)
        text = self.stdout(self.run_cell('System.out.println("next cell");'))
        self.assertEqual(MARKER + "\nlate from the thread\nnext cell\n", text)
        self.assertEqual("again\n", self.stdout(self.run_cell('System.out.println("again");')), "shown once")


if __name__ == "__main__":
    unittest.main()
