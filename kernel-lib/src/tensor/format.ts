import type { Tensor } from "./tensor-class";
import { isFloating } from "./dtype";

const SUMMARIZE_OVER = 1000;
const EDGE = 3;

/** PyTorch-style printing: tensor([[1., 2.], [3., 4.]], requiresGrad=true). */
export function formatTensor(t: Tensor): string {
  const data = t.dataSync();
  const floating = isFloating(t.dtype);
  const summarize = data.length > SUMMARIZE_OVER;
  let fmt: (v: number) => string;
  if (t.dtype === "bool") fmt = (v) => (v ? "True" : "False");
  else if (!floating) fmt = (v) => String(v);
  else {
    let maxAbs = 0, minAbs = Infinity, integral = true;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!Number.isFinite(v)) continue;
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
      if (a !== 0 && a < minAbs) minAbs = a;
      if (v !== Math.round(v)) integral = false;
    }
    const sci = maxAbs >= 1e8 || (minAbs < 1e-4 && !integral) || (maxAbs / minAbs > 1000 && !integral && maxAbs >= 1e3);
    fmt = (v) => {
      if (Number.isNaN(v)) return "nan";
      if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
      if (sci) return v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
      if (integral) return `${v.toFixed(0)}.`;
      return v.toFixed(4);
    };
  }
  const shape = t.shape;
  const cells: string[] = [];
  for (let i = 0; i < data.length; i++) cells.push(fmt(data[i]));
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  const pad = (s: string): string => s.padStart(width);
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const indent = "tensor(".length;
  const build = (dim: number, offset: number): string => {
    const size = shape[dim];
    const pick = (i: number): string =>
      dim === shape.length - 1 ? pad(cells[offset + i]) : build(dim + 1, offset + i * strides[dim]);
    const parts: string[] = [];
    if (summarize && size > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) parts.push(pick(i));
      parts.push("...");
      for (let i = size - EDGE; i < size; i++) parts.push(pick(i));
    } else {
      for (let i = 0; i < size; i++) parts.push(pick(i));
    }
    if (dim === shape.length - 1) return `[${parts.join(", ")}]`;
    const sep = "," + "\n".repeat(shape.length - 1 - dim) + " ".repeat(indent + dim + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? (data.length ? cells[0] : "") : build(0, 0);
  const extras: string[] = [];
  // like PyTorch (device='cuda:0'), a tensor off the CPU says where it is
  if (t.device !== "cpu") extras.push(`device='${t.device}'`);
  // like PyTorch, the default float and the default index/bool types print no dtype
  if (t.dtype === "float64" || t.dtype === "uint8") extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  return `tensor(${body}${extras.length ? ", " + extras.join(", ") : ""})`;
}
