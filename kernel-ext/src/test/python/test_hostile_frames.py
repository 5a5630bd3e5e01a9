"""The kernel survives hostile frames: malformed, unsigned and wrongly signed messages sent straight to its
shell and control ports are dropped (never run), and it then still runs a cell, obeys an interrupt and shuts
down on request.

Run: /usr/bin/python3 -m unittest discover -s kernel-ext/src/test/python -p 'test_hostile_frames.py'
(the taulab kernelspec must be installed: bin/taulab kernel install --user)
"""
import hashlib
import hmac
import json
import os
import subprocess
import tempfile
import time
import unittest
import uuid

import zmq
from jupyter_client.manager import start_new_kernel


def header(msg_type):
    return json.dumps({"msg_id": uuid.uuid4().hex, "session": "hostile", "username": "hostile", "date": "2026-12-02T00:00:00Z",
                       "msg_type": msg_type, "version": "5.3"}).encode()


def execute_content(code):
    return json.dumps({"code": code, "silent": False, "store_history": True, "user_expressions": {},
                       "allow_stdin": False, "stop_on_error": True}).encode()


class HostileFramesTest(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name="taulab", stderr=subprocess.PIPE)
        self.marker = os.path.join(tempfile.mkdtemp(), "ran")

    def tearDown(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    def sign(self, frames):
        key = self.km.session.key
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for f in frames:
            mac.update(f)
        return mac.hexdigest().encode()

    def hostile_messages(self):
        """Each a list of frames after the DEALER's identity; the signed ones carry broken JSON."""
        run_me = execute_content(f'new java.io.File("{self.marker}").createNewFile();')
        parts = [header("execute_request"), b"{}", b"{}", run_me]
        null_header = [b"null", b"{}", b"{}", b"{}"]
        not_json = [b"{not json", b"{}", b"{}", b"{}"]
        unknown_type = [header("no_such_request"), b"{}", b"{}", b"{}"]
        return [
            [b"<IDS|MSG>"],
            [b"no delimiter at all"],
            [b"<IDS|MSG>", b"", b"{}"],
            [b"<IDS|MSG>", b""] + parts,                           # unsigned
            [b"<IDS|MSG>", b"0" * 64] + parts,                     # wrongly signed
            [b"<IDS|MSG>", self.sign(parts)[:-1] + b"x"] + parts,  # one character off
            [b"<IDS|MSG>", self.sign(null_header)] + null_header,
            [b"<IDS|MSG>", self.sign(not_json)] + not_json,
            [b"<IDS|MSG>", self.sign(unknown_type)] + unknown_type,
        ]

    def send_to(self, port):
        info = self.km.get_connection_info()
        sock = zmq.Context.instance().socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"{info['transport']}://{info['ip']}:{port}")
        try:
            for frames in self.hostile_messages():
                sock.send_multipart(frames)
            time.sleep(0.5)
        finally:
            sock.close()

    def test_bad_frames_on_shell_and_control_are_dropped(self):
        self.send_to(self.km.shell_port)
        self.send_to(self.km.control_port)
        results = []
        reply = self.kc.execute_interactive("6 * 7", timeout=60, output_hook=results.append)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("42", [m["content"]["data"]["text/plain"] for m in results if m["msg_type"] == "execute_result"])
        self.assertFalse(os.path.exists(self.marker), "an unsigned or wrongly signed execute_request ran")

        # interrupt (over the control channel) still stops a busy cell
        self.kc.execute_interactive("long n = 0;", timeout=60)
        busy = self.kc.execute("while (true) { n++; }")
        time.sleep(1.0)
        self.km.interrupt_kernel()
        while True:
            got = self.kc.get_shell_msg(timeout=10)
            if got["parent_header"].get("msg_id") == busy:
                break
        self.assertEqual(got["content"]["ename"], "Interrupted")

        # and a shutdown_request (control) ends the process by itself
        self.kc.shutdown()
        deadline = time.time() + 15
        while self.km.is_alive() and time.time() < deadline:
            time.sleep(0.2)
        self.assertFalse(self.km.is_alive(), "the kernel ignored shutdown_request after the bad frames")
        log = self.km.provisioner.process.stderr.read().decode("utf-8", "replace")
        dropped = [line for line in log.splitlines() if "dropped a message" in line]
        self.assertEqual(len(dropped), 2 * len(self.hostile_messages()) - 2, log[-2000:])
        self.assertTrue(any("invalid signature" in line for line in dropped), dropped)
        self.assertTrue(any("no signature" in line for line in dropped), dropped)


if __name__ == "__main__":
    unittest.main()
