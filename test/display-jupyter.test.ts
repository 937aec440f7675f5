import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { d2l } from "../kernel-lib/src/index";
import { PLOTLY_MIME } from "../kernel-lib/src/display/types";
import { JupyterBackend } from "../kernel-lib/src/display/jupyter-backend";

/**
 * A stand-in for a running tslab kernel: the executor's globalThis.__tslab__ and tslab's jupyter module,
 * whose lastWriteDisplayData publishes on iopub. The display layer must find it in require's cache.
 */
interface Sent {
  content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } };
  update: boolean;
}
const FAKE = "/opt/fake-kernel/node_modules/tslab/dist/jupyter.js";
let sent: Sent[] = [];

beforeEach(() => {
  sent = [];
  (globalThis as Record<string, unknown>).__tslab__ = {};
  const mod = { exports: { lastWriteDisplayData: (content: Sent["content"], update: boolean) => sent.push({ content, update }) } };
  (require.cache as Record<string, unknown>)[FAKE] = mod;
  d2l.setDisplayBackend("auto");
});

afterEach(() => {
  delete (require.cache as Record<string, unknown>)[FAKE];
  delete (globalThis as Record<string, unknown>).__tslab__;
  d2l.setDisplayBackend("auto");
});

describe("jupyter backend (through tslab's display writer)", () => {
  it("is chosen automatically inside the kernel and sends a figure as one display_data bundle", () => {
    expect(d2l.getDisplayBackend().name).toBe("jupyter");
    d2l.plot([1, 2, 3], [1, 4, 9], "x", "y");
    // first figure of the session: the plotly.js loader (inlined from node_modules) goes first, on its own
    expect(sent).toHaveLength(2);
    const [loader, { content, update }] = sent;
    expect(loader.update).toBe(false);
    expect(Object.keys(loader.content.data).sort()).toEqual(["text/html", "text/plain"]);
    expect(loader.content.data["text/html"]).toContain("window.Plotly = Plotly");
    expect(update).toBe(false);
    expect(Object.keys(content.data).sort()).toEqual([PLOTLY_MIME, "image/svg+xml", "text/html", "text/plain"].sort());
    expect(typeof content.transient.display_id).toBe("string");
    expect(content.transient.display_id).not.toBe(loader.content.transient.display_id);
    expect(content.data["text/html"]).not.toContain("window.Plotly = Plotly");
  });

  it("Animator sends one display and then update_display_data for the same id", () => {
    d2l.setDisplayBackend(new JupyterBackend()); // a fresh session: the loader comes first, once
    const animator = new d2l.Animator({ xlabel: "epoch", legend: ["train loss", "test acc"], ylim: [0, 1] });
    const epochs = 5;
    for (let epoch = 1; epoch <= epochs; epoch++) animator.add(epoch, [1 / epoch, null]);
    expect(sent.map((s) => s.update)).toEqual([false, false, true, true, true, true]);
    expect(sent[0].content.data["text/html"]).toContain("window.Plotly = Plotly");
    const ids = new Set(sent.slice(1).map((s) => s.content.transient.display_id));
    expect(ids.size).toBe(1);
    const last = sent[sent.length - 1].content.data[PLOTLY_MIME] as { data: { x: number[]; y: number[] }[] };
    expect(last.data[0].x).toEqual([1, 2, 3, 4, 5]);
    expect(last.data[1].x).toEqual([]); // null points skipped
  });

  it("sends images with their size metadata and tables as html + text", () => {
    d2l.showImages([[[0, 1], [1, 0]]], 1, 1, { titles: ["x"] });
    d2l.showTable([{ epoch: 1, loss: 0.5 }]);
    expect(sent).toHaveLength(2);
    expect(Object.keys(sent[0].content.data).sort()).toEqual(["image/png", "text/plain"]);
    expect(sent[0].content.metadata["image/png"]).toEqual({ width: expect.any(Number), height: expect.any(Number) });
    expect(Object.keys(sent[1].content.data).sort()).toEqual(["text/html", "text/plain"]);
  });
});
