"""Jupyter's kernel test suite (jupyter_kernel_test) against kernel-lib's kernel, plus the protocol behaviour
the suite does not cover: stop_on_error, error content in execute_reply, interrupts.

Run by test/kernel-conformance.test.ts with Debian's /usr/bin/python3 and JUPYTER_PATH pointing at a folder
holding our kernel spec (kernels/kernel-lib-ts/kernel.json); the kernel's cwd is the project root.
"""
import time
import unittest

import jupyter_kernel_test as jkt
from jupyter_client.utils import run_sync

TIMEOUT = 60


class KernelLibTests(jkt.KernelTests):
    kernel_name = "kernel-lib-ts"
    language_name = "typescript"
    file_extension = ".ts"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Completion, inspection and some samples name kernel-lib: import it once, as a notebook's first cell does.
        cls.kc.execute_interactive('import { torch, d2l } from "kernel-lib"; import * as tslab from "tslab";', timeout=TIMEOUT)

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("a warning")'

    completion_samples = [
        {"text": "d2l.Anim", "matches": {"Animator"}},
        {"text": "torch.nn.CrossEntropyL", "matches": {"CrossEntropyLoss"}},
    ]

    complete_code_samples = ["1 + 1", "const x = 1;", "for (let i = 0; i < 3; i++) {\n  console.log(i);\n}"]
    incomplete_code_samples = ["function f() {", "const xs = [1,", "for (let i = 0; i < 3; i++) {\n  console.log(i);"]
    invalid_code_samples = []  # tslab's completeness check reports complete or incomplete only

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "torch.tensor([[1, 2], [3, 4]])", "result": "tensor([[1., 2.],\n        [3., 4.]])"},
        {"code": "new torch.nn.Linear(3, 2)", "result": "Linear(in_features=3, out_features=2, bias=True)"},
        {"code": '"text"', "result": "'text'"},
    ]

    code_display_data = [
        {"code": 'tslab.display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'd2l.showTable([{ epoch: 1, loss: 0.5 }])', "mime": "text/html"},
    ]

    code_history_pattern = "6*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "torch.zeros"

    code_clear_output = 'console.log("soon gone"); d2l.clearOutput()'

    # ---- beyond the suite ---------------------------------------------------------------------------------

    def replies(self, ids):
        got = {}
        while len(got) < len(ids):
            r = self.get_non_kernel_info_reply(timeout=TIMEOUT)
            got[r["parent_header"]["msg_id"]] = r["content"]
        return [got[i] for i in ids]

    def test_error_reply_content(self):
        self.flush_channels()
        reply, outputs = self.execute_helper('const a = 1;\nthrow new RangeError("out of range: " + a);')
        c = reply["content"]
        self.assertEqual(c["status"], "error")
        self.assertEqual(c["ename"], "RangeError")
        self.assertEqual(c["evalue"], "out of range: 1")
        self.assertEqual(c["traceback"][0], "RangeError: out of range: 1")
        self.assertIn("Cell In[", "\n".join(c["traceback"]))
        self.assertEqual(outputs[0]["content"]["ename"], "RangeError")

    def test_stop_on_error_true_aborts_queued_requests(self):
        self.flush_channels()
        failing = self.kc.execute('const t0 = Date.now(); while (Date.now() - t0 < 1000) {}\nthrow new Error("first")')
        queued = self.kc.execute("6 * 7")
        first, second = self.replies([failing, queued])
        self.assertEqual(first["status"], "error")
        self.assertEqual(second["status"], "aborted")
        # a request sent after the error was handled runs normally
        after = self.kc.execute("6 * 7")
        (third,) = self.replies([after])
        self.assertEqual(third["status"], "ok")

    def test_stop_on_error_false_runs_the_next_request(self):
        self.flush_channels()
        failing = self.kc.execute('throw new Error("tolerated")', stop_on_error=False)
        queued = self.kc.execute("6 * 7")
        first, second = self.replies([failing, queued])
        self.assertEqual(first["status"], "error")
        self.assertEqual(second["status"], "ok")

    def interrupted(self, interrupt):
        self.flush_channels()
        busy = self.kc.execute('console.log("spinning"); while (true) {}')
        time.sleep(2)
        interrupt()
        (reply,) = self.replies([busy])
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "KeyboardInterrupt")
        (ok,) = self.replies([self.kc.execute("1 + 1")])
        self.assertEqual(ok["status"], "ok")

    def test_interrupt_by_signal_stops_a_synchronous_loop(self):
        self.interrupted(self.km.interrupt_kernel)

    def test_interrupt_request_on_control_stops_a_synchronous_loop(self):
        def request():
            msg = self.kc.session.msg("interrupt_request", {})
            self.kc.control_channel.send(msg)
            reply = run_sync(self.kc.control_channel.get_msg)(timeout=TIMEOUT)
            self.assertEqual(reply["msg_type"], "interrupt_reply")

        self.interrupted(request)

    def test_heartbeat_and_kernel_info_answer_while_a_cell_runs(self):
        self.flush_channels()
        busy = self.kc.execute('const t1 = Date.now(); while (Date.now() - t1 < 3000) {}')
        time.sleep(0.5)
        msg = self.kc.session.msg("kernel_info_request", {})
        self.kc.control_channel.send(msg)
        reply = run_sync(self.kc.control_channel.get_msg)(timeout=2)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertTrue(self.kc.hb_channel.is_beating())
        (done,) = self.replies([busy])
        self.assertEqual(done["status"], "ok")


if __name__ == "__main__":
    unittest.main(verbosity=2)
