import { afterEach, describe, expect, it } from "vitest";
import { d2l } from "../kernel-lib/src/index";
import { Tensor } from "../kernel-lib/src/tensor/tensor";

afterEach(() => {
  d2l.setDisplayBackend("auto");
});

describe("showTable", () => {
  const records = [
    { epoch: 1, "train loss": 0.5234567, phase: "warm-up" },
    { epoch: 2, "train loss": 0.41, phase: "<main>" },
    { epoch: 10, "train loss": 0.0123456 },
  ];

  it("shows an html table with an aligned text fallback", () => {
    const mem = d2l.captureDisplays();
    d2l.showTable(records, { title: "metrics" });
    const data = mem.displays[0].data;
    expect(Object.keys(data).sort()).toEqual(["text/html", "text/plain"]);
    expect(data["text/plain"]).toBe(
      ["metrics", "epoch  train loss  phase", "-----  ----------  -------", "    1      0.5235  warm-up", "    2        0.41  <main>", "   10     0.01235"].join("\n"),
    );
    const html = data["text/html"] as string;
    expect(html.match(/<tr>/g)).toHaveLength(4);
    expect(html).toContain("<caption>metrics</caption>");
    expect(html).toContain('<th style="text-align:right">train loss</th>');
    expect(html).toContain("&lt;main&gt;");
  });

  it("follows the given column order and rejects non-records", () => {
    expect(d2l.tableText([{ a: 1, b: 2 }], { columns: ["b", "a"] }).split("\n")[0]).toBe("b  a");
    expect(() => d2l.showTable([1, 2] as unknown as Record<string, number>[])).toThrow("showTable: records must be an array of objects");
  });
});

describe("Timer", () => {
  it("records intervals; avg, sum and cumsum agree", async () => {
    const timer = new d2l.Timer();
    await new Promise((r) => setTimeout(r, 20));
    const first = timer.stop();
    timer.start();
    await new Promise((r) => setTimeout(r, 5));
    const second = timer.stop();
    expect(first).toBeGreaterThanOrEqual(0.015);
    expect(timer.times).toEqual([first, second]);
    expect(timer.sum()).toBeCloseTo(first + second, 12);
    expect(timer.avg()).toBeCloseTo((first + second) / 2, 12);
    expect(timer.cumsum()).toEqual([first, first + second]);
    expect(() => new d2l.Timer().avg()).toThrow("Timer.avg: no times recorded yet");
  });
});

describe("Accumulator", () => {
  it("sums n variables, reads them by get(i) and [i], and resets", () => {
    const metric = new d2l.Accumulator(3);
    metric.add(1.5, 2, 10);
    metric.add(0.5, Tensor.fromTypedArray(Float32Array.from([3]), []), 10);
    expect(metric.data).toEqual([2, 5, 20]);
    expect(metric.get(1)).toBe(5);
    expect(metric[0] / metric[2]).toBe(0.1);
    metric.reset();
    expect([metric[0], metric[1], metric[2]]).toEqual([0, 0, 0]);
  });

  it("throws on a wrong number of values or a bad index", () => {
    const metric = new d2l.Accumulator(2);
    expect(() => metric.add(1)).toThrow("Accumulator.add: expected 2 values, got 1");
    expect(() => metric.get(2)).toThrow("Accumulator.get: index 2 is out of range for 2 variables");
    expect(() => new d2l.Accumulator(0)).toThrow("Accumulator: n must be a positive integer, got 0");
  });
});
