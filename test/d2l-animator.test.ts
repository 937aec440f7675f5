import { afterEach, describe, expect, it } from "vitest";
import { d2l } from "../kernel-lib/src/index";
import { PLOTLY_MIME } from "../kernel-lib/src/display/types";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { findAll, parseSvg } from "./helpers/display";

afterEach(() => {
  d2l.setDisplayBackend("auto");
});

type Traces = { data: { name: string; x: number[]; y: number[]; line: { color: string } }[]; layout: { yaxis: { range: number[] } } };

describe("Animator", () => {
  it("shows one display and updates it once per add()", () => {
    const mem = d2l.captureDisplays();
    const animator = new d2l.Animator({ xlabel: "epoch", xlim: [1, 10], ylim: [0.3, 0.9], legend: ["train loss", "train acc", "test acc"] });
    const n = 10;
    for (let epoch = 1; epoch <= n; epoch++) animator.add(epoch, [1 / epoch, 0.5 + epoch / 40, 0.45 + epoch / 40]);
    expect(mem.displays).toHaveLength(1);
    expect(mem.events.map((e) => e.type)).toEqual(["display", ...Array<string>(n - 1).fill("update")]);
    expect(new Set(mem.events.map((e) => e.id)).size).toBe(1);
    expect(mem.displays[0].live).toBe(true);

    const latest = mem.displays[0].latest;
    const fig = latest[PLOTLY_MIME] as unknown as Traces;
    expect(fig.data.map((t) => t.name)).toEqual(["train loss", "train acc", "test acc"]);
    expect(fig.data.map((t) => t.line.color)).toEqual(["#1f77b4", "#bf00bf", "#008000"]);
    expect(fig.data[2].x).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(fig.layout.yaxis.range).toEqual([0.3, 0.9]);
    const svg = parseSvg(latest["image/svg+xml"] as string);
    expect(findAll(svg, "path").filter((p) => p["@class"] === "series-line")).toHaveLength(3);
    expect(latest["text/plain"]).toBe("<Animator epoch 10: train loss 0.1, train acc 0.75, test acc 0.7>");
  });

  it("skips null and undefined points, repeats a scalar x, and takes one-element tensors", () => {
    const animator = new d2l.Animator({ legend: ["a", "b"] });
    d2l.captureDisplays();
    animator.add(0.5, [1, null]);
    animator.add(1, [Tensor.fromTypedArray(Float32Array.from([2]), [1]), undefined]);
    animator.add([2, 3], [3, 4]);
    expect(animator.X).toEqual([[0.5, 1, 2], [3]]);
    expect(animator.Y).toEqual([[1, 2, 3], [4]]);
    animator.add(4, 5); // a single number: one value for the first series
    expect(animator.Y).toEqual([[1, 2, 3, 5], [4]]);
  });

  it("throws on inconsistent adds", () => {
    d2l.captureDisplays();
    const animator = new d2l.Animator();
    animator.add(1, [1, 2]);
    expect(() => animator.add(2, [1, 2, 3])).toThrow("Animator.add: got 3 y values but the first add() had 2");
    expect(() => animator.add([1, 2, 3], [1, 2])).toThrow("Animator.add: got 3 x values for 2 y values");
    expect(() => animator.add(1, Tensor.fromTypedArray(new Float32Array(2), [2]))).toThrow(
      "Animator.add: y[0] must be a number or a one-element tensor, got shape [2]",
    );
    expect(() => new d2l.Animator({ nrows: 0 })).toThrow("Animator: nrows must be a positive integer, got 0");
  });
});
