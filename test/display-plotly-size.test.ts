import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { d2l } from "../kernel-lib/src/index";
import { JupyterBackend } from "../kernel-lib/src/display/jupyter-backend";
import { PLOTLY_LOADER_ATTRIBUTE, plotlyLibrarySource } from "../kernel-lib/src/display/plotly-html";

/**
 * What a lecture sends to the front end, in bytes: plotly.js (the 1.1 MB basic bundle) once per kernel session in its own
 * output, and figures and Animator updates of a few hundred points well under 50 KB each. Sizes are
 * measured on the messages the Jupyter backend publishes through a stand-in for tslab's display writer.
 */
interface Sent {
  data: Record<string, unknown>;
  update: boolean;
  id: string;
}
const FAKE = "/opt/fake-kernel/node_modules/tslab/dist/jupyter.js";
const FIGURE_LIMIT = 50_000;
let sent: Sent[] = [];

beforeEach(() => {
  sent = [];
  (globalThis as Record<string, unknown>).__tslab__ = {};
  const write = (content: { data: Record<string, unknown>; transient: { display_id: string } }, update: boolean) =>
    sent.push({ data: content.data, update, id: content.transient.display_id });
  (require.cache as Record<string, unknown>)[FAKE] = { exports: { lastWriteDisplayData: write } };
  d2l.setDisplayBackend(new JupyterBackend());
});

afterEach(() => {
  delete (require.cache as Record<string, unknown>)[FAKE];
  delete (globalThis as Record<string, unknown>).__tslab__;
  d2l.setDisplayBackend("auto");
});

const bytes = (data: Record<string, unknown>) => Buffer.byteLength(JSON.stringify(data));
/** A piece of plotly.min.js that only the library itself contains. */
const librarySample = () => plotlyLibrarySource().slice(100_000, 100_200);
const carriesLibrary = (s: Sent) => JSON.stringify(s.data).includes(JSON.stringify(librarySample()).slice(1, -1));

describe("plotly payload sizes", () => {
  it("an Animator of 3 curves x 100 epochs: the library once, then every display and update under 50 KB", () => {
    const animator = new d2l.Animator({ xlabel: "epoch", xlim: [1, 100], legend: ["train loss", "train acc", "test acc"] });
    for (let epoch = 1; epoch <= 100; epoch++) {
      animator.add(epoch, [1 / epoch, 1 - 1 / (epoch + 1), 0.9 - 1 / (epoch + 2)]);
    }
    const [loader, ...figure] = sent;
    expect(loader.update).toBe(false);
    expect(loader.data["text/html"]).toContain(PLOTLY_LOADER_ATTRIBUTE);
    expect(carriesLibrary(loader)).toBe(true);
    expect(bytes(loader.data)).toBeGreaterThan(plotlyLibrarySource().length);

    expect(figure).toHaveLength(100);
    expect(figure.map((s) => s.update)).toEqual([false, ...Array<boolean>(99).fill(true)]);
    expect(figure.filter(carriesLibrary)).toEqual([]);
    const sizes = figure.map((s) => bytes(s.data));
    const last = sizes[sizes.length - 1]; // 300 points, the largest
    expect(Math.max(...sizes)).toBe(last);
    expect(last).toBeLessThan(FIGURE_LIMIT);
    // the whole run: the library plus the updates, not the library per update
    const total = sent.reduce((sum, s) => sum + bytes(s.data), 0);
    expect(total).toBeLessThan(bytes(loader.data) + 100 * FIGURE_LIMIT);
  });

  it("a plot of 3 series x 100 points is under 50 KB and a second figure brings no library", () => {
    const x = Array.from({ length: 100 }, (_, i) => i / 10);
    d2l.plot(x, [x.map(Math.sin), x.map(Math.cos), x.map((v) => Math.tanh(v - 5))], "x", "f(x)", { legend: ["sin", "cos", "tanh"] });
    d2l.plot(x, x.map((v) => v * v), "x", "x^2");
    expect(sent).toHaveLength(3);
    expect(carriesLibrary(sent[0])).toBe(true);
    for (const figure of sent.slice(1)) {
      expect(carriesLibrary(figure)).toBe(false);
      expect(bytes(figure.data)).toBeLessThan(FIGURE_LIMIT);
    }
  });
});
