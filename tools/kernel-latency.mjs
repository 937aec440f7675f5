#!/usr/bin/env node
// Measures when a running cell's outputs reach a client of kernel-lib's kernel: a cell that spins the main
// thread (no await) and calls Animator.add / console.log every PERIOD ms, COUNT times. Prints, for each
// output when the client received it (ms since the request was sent) and, for printed lines, the latency
// from the kernel's Date.now() at the print to the client's at arrival (one machine, one clock).
//   node tools/kernel-latency.mjs [COUNT=5] [PERIOD_MS=2000] [print]   (print: console.log only, no Animator)
import { createRequire } from "module";
const require = createRequire(import.meta.url);
const { Kernel } = require("./workbook/dist/kernel.js");
const { OutputCollector } = require("./workbook/dist/outputs.js");

const count = Number(process.argv[2] ?? 5);
const period = Number(process.argv[3] ?? 2000);
const printOnly = process.argv[4] === "print";
const arrivals = [];
let sent = 0;
class Timed extends OutputCollector {
  handle(msg) {
    const t = Date.now() - sent;
    const c = msg.content;
    if (msg.header.msg_type === "stream") {
      for (const l of String(c.text).split("\n").filter(Boolean)) {
        const at = Number(l.split(" at ")[1]);
        arrivals.push({ t, what: `stream "${l.split(" at ")[0]}", latency ${Date.now() - at} ms (produced at ${at - sent} ms)` });
      }
    }
    else if (msg.header.msg_type !== "execute_input") arrivals.push({ t, what: msg.header.msg_type });
    super.handle(msg);
  }
}
const kernel = await Kernel.start({ cwd: process.cwd() });
try {
  await kernel.execute('import { torch, d2l } from "kernel-lib";');
  const code = `
${printOnly ? "//" : ""}const animator = new d2l.Animator({ xlabel: "epoch", legend: ["loss"], xlim: [1, ${count}] });
const t0 = Date.now();
for (let i = 1; i <= ${count}; i++) {
  while (Date.now() - t0 < i * ${period}) {} // a synchronous loop: the event loop never runs
  ${printOnly ? "" : "animator.add(i, [1 / i]);"}
  console.log("produced " + i + " at " + Date.now());
}`;
  sent = Date.now();
  const r = await kernel.execute(code, { collector: new Timed() });
  const total = Date.now() - sent;
  console.log(`status ${r.status}; the cell ran ${count} x ${period} ms; reply + idle after ${total} ms`);
  for (const a of arrivals) console.log(`${String(a.t).padStart(6)} ms  ${a.what}`);
} finally {
  await kernel.shutdown();
}
