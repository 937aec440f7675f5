import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, describe, expect, it } from "vitest";
import { Tensor } from "../kernel-lib/src/tensor/tensor";
import { decodeSafetensors, encodeSafetensors, load, save } from "../kernel-lib/src/io/index";

const FIXTURE = join(__dirname, "fixtures", "io-reference.safetensors");
const dir = mkdtempSync(join(tmpdir(), "kernel-lib-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same tensors tools/fixtures/gen_io.py writes, built here independently. */
function referenceTensors(): Record<string, Tensor> {
  return {
    "0.weight": Tensor.fromTypedArray(new Float32Array([0.5, -1.25, 3.0, 1e-3, -0.0, 65504.0]), [2, 3]),
    "0.bias": Tensor.fromTypedArray(new Float32Array([0.1, 0.2, 0.3]), [3]),
    precise: Tensor.fromTypedArray(new Float64Array([3.141592653589793, -2.718281828459045]), [2]),
    labels: Tensor.fromTypedArray(new Int32Array([0, -7, 2147483647, -2147483648]), [2, 2]),
    pixels: Tensor.fromTypedArray(new Uint8Array([0, 1, 128, 255]), [4]),
    mask: Tensor.fromTypedArray(new Uint8Array([1, 0, 1]), [3], "bool"),
    scalar: Tensor.fromTypedArray(new Float32Array([42]), []),
    empty: Tensor.fromTypedArray(new Float32Array(0), [0, 3]),
  };
}

describe("safetensors format", () => {
  it("writes byte for byte what the independent Python writer writes", () => {
    const ours = encodeSafetensors(referenceTensors());
    expect(Buffer.from(ours).equals(readFileSync(FIXTURE))).toBe(true);
  });

  it("reads the Python-written file with dtypes, shapes and values", () => {
    const loaded = load(FIXTURE);
    const ref = referenceTensors();
    expect(Object.keys(loaded)).toEqual(Object.keys(ref));
    for (const [name, t] of Object.entries(ref)) {
      expect(loaded[name].dtype, name).toBe(t.dtype);
      expect(loaded[name].shape, name).toEqual(t.shape);
      expect(Array.from(loaded[name].dataSync()), name).toEqual(Array.from(t.dataSync()));
    }
    expect(Object.is(loaded["0.weight"].dataSync()[4], -0)).toBe(true);
  });

  it("pads the header to a multiple of 8 bytes with spaces", () => {
    const bytes = encodeSafetensors({ a: Tensor.fromTypedArray(new Float32Array([1]), [1]) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd()).toBe('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    expect(bytes.length).toBe(8 + n + 4);
  });

  it("round-trips a state dict, one tensor and an array of tensors through files", () => {
    const sd = referenceTensors();
    save(sd, join(dir, "sd.safetensors"));
    const back = load(join(dir, "sd.safetensors"));
    for (const k of Object.keys(sd)) expect(Array.from(back[k].dataSync())).toEqual(Array.from(sd[k].dataSync()));

    const x = Tensor.fromTypedArray(new Float32Array([1, 2, 3, 4]), [4]);
    save(x, join(dir, "x-file"));
    const x2 = load<Tensor>(join(dir, "x-file"));
    expect(x2).toBeInstanceOf(Tensor);
    expect(x2.tolist()).toEqual([1, 2, 3, 4]);

    const y = Tensor.fromTypedArray(new Int32Array([5, 6]), [2]);
    save([x, y], join(dir, "x-files"));
    const [a, b] = load<Tensor[]>(join(dir, "x-files"));
    expect(a.tolist()).toEqual([1, 2, 3, 4]);
    expect(b.dtype).toBe("int32");
    expect(b.tolist()).toEqual([5, 6]);

    save(new Map([["w", x]]), join(dir, "map"));
    expect(load(join(dir, "map")).w.tolist()).toEqual([1, 2, 3, 4]);
  });

  it("copies the data when saving, so later changes to the tensor do not leak into the bytes", () => {
    const data = new Float32Array([1, 2]);
    const bytes = encodeSafetensors({ w: Tensor.fromTypedArray(data, [2]) });
    data[0] = 99;
    expect(decodeSafetensors(bytes).tensors.w.tolist()).toEqual([1, 2]);
  });

  it("reads int64, float16 and bfloat16 entries by conversion", () => {
    const header = JSON.stringify({
      i: { dtype: "I64", shape: [2], data_offsets: [0, 16] },
      h: { dtype: "F16", shape: [3], data_offsets: [16, 22] },
      b: { dtype: "BF16", shape: [1], data_offsets: [22, 24] },
    });
    const body = new DataView(new ArrayBuffer(24));
    body.setBigInt64(0, -3n, true);
    body.setBigInt64(8, 7n, true);
    body.setUint16(16, 0x3c00, true); // 1.0
    body.setUint16(18, 0xc000, true); // -2.0
    body.setUint16(20, 0x0001, true); // smallest subnormal 2^-24
    body.setUint16(22, 0x3fc0, true); // bf16 1.5
    const bytes = withHeader(header, new Uint8Array(body.buffer));
    const { tensors } = decodeSafetensors(bytes);
    expect(tensors.i.dtype).toBe("int32");
    expect(tensors.i.tolist()).toEqual([-3, 7]);
    expect(tensors.h.tolist()).toEqual([1, -2, 2 ** -24]);
    expect(tensors.b.tolist()).toEqual([1.5]);
  });

  it("rejects malformed files with a message naming the file and the problem", () => {
    expect(() => decodeSafetensors(new Uint8Array(4), "f.st")).toThrow(/f\.st is not a valid safetensors file: it has 4 bytes/);
    const big = new Uint8Array(16);
    new DataView(big.buffer).setBigUint64(0, 1000n, true);
    expect(() => decodeSafetensors(big)).toThrow(/header length 1000 exceeds the file size 16/);
    expect(() => decodeSafetensors(withHeader("not json", new Uint8Array(0)))).toThrow(/not UTF-8 JSON/);
    const outside = JSON.stringify({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } });
    expect(() => decodeSafetensors(withHeader(outside, new Uint8Array(4)))).toThrow(/"w" has data_offsets \[0, 8\] outside the 4 data bytes/);
    const wrongSize = JSON.stringify({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } });
    expect(() => decodeSafetensors(withHeader(wrongSize, new Uint8Array(8)))).toThrow(/"w" \(F32 \[3\]\) needs 12 bytes but has 8/);
    const unknown = JSON.stringify({ w: { dtype: "C64", shape: [1], data_offsets: [0, 8] } });
    expect(() => decodeSafetensors(withHeader(unknown, new Uint8Array(8)))).toThrow(/"w" has dtype C64; supported: F32/);
    expect(() => load(join(dir, "missing"))).toThrow(/load: cannot read .*missing/);
    const bigInt = JSON.stringify({ i: { dtype: "I64", shape: [1], data_offsets: [0, 8] } });
    const v = new DataView(new ArrayBuffer(8));
    v.setBigInt64(0, 2n ** 40n, true);
    expect(() => decodeSafetensors(withHeader(bigInt, new Uint8Array(v.buffer)))).toThrow(/int64 value 1099511627776 .* outside the int32 range/);
  });

  it("refuses things that are not tensors with a hint", () => {
    expect(() => save({ w: new Date(0) } as unknown as Record<string, Tensor>, join(dir, "bad"))).toThrow(/save: cannot store Date at "w"/);
    expect(() => encodeSafetensors({ w: [1, 2] } as unknown as Record<string, Tensor>)).toThrow(/save: value for "w" is not a Tensor \(an array\)/);
    class Net {}
    expect(() => save(new Net() as unknown as Tensor, join(dir, "bad"))).toThrow(/save: cannot save a Net; pass a state dict such as model.stateDict\(\)/);
  });

  it("writes files a reader following the spec can parse (the Python checker's layout)", () => {
    const path = join(dir, "check.safetensors");
    save(referenceTensors(), path);
    const bytes = readFileSync(path);
    const n = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf-8"));
    expect(header["0.weight"]).toEqual({ dtype: "F32", shape: [2, 3], data_offsets: [0, 24] });
    expect(header.mask.dtype).toBe("BOOL");
  });
});

describe("nested checkpoints", () => {
  it("round-trip a model state dict, optimizer state and plain values", () => {
    const w = Tensor.fromTypedArray(new Float32Array([1, 2]), [2]);
    const m = Tensor.fromTypedArray(new Float32Array([0.5, 0.25]), [2]);
    const checkpoint = {
      model: { "0.weight": w },
      optimizer: { state: { "0": { step: 3, expAvg: m } }, paramGroups: [{ lr: 0.01, betas: [0.9, 0.999], amsgrad: false, params: [0] }] },
      epoch: 7,
      note: "after epoch 7",
      best: null,
    };
    const path = join(dir, "ckpt.safetensors");
    save(checkpoint, path);
    const back = load<typeof checkpoint>(path);
    expect(back.epoch).toBe(7);
    expect(back.note).toBe("after epoch 7");
    expect(back.best).toBeNull();
    expect(back.model["0.weight"].tolist()).toEqual([1, 2]);
    expect(back.optimizer.state["0"].step).toBe(3);
    expect(back.optimizer.state["0"].expAvg.tolist()).toEqual([0.5, 0.25]);
    expect(back.optimizer.paramGroups).toEqual(checkpoint.optimizer.paramGroups);
    // the tensors are ordinary safetensors entries under dotted names
    const raw = decodeSafetensors(readFileSync(path));
    expect(Object.keys(raw.tensors)).toEqual(["model.0.weight", "optimizer.state.0.expAvg"]);
  });

  it("rejects values a checkpoint cannot hold and clashing names", () => {
    expect(() => save({ a: Tensor.fromTypedArray(new Float32Array(1), [1]), f: (() => 1) as unknown as number }, join(dir, "bad"))).toThrow(/save: cannot store function at "f"/);
    expect(() => save({ x: NaN }, join(dir, "bad"))).toThrow(/cannot store NaN at "x"/);
    const t1 = Tensor.fromTypedArray(new Float32Array(1), [1]);
    expect(() => save({ "a.b": t1, a: { b: t1 }, n: 1 }, join(dir, "bad"))).toThrow(/two tensors would be stored under the same name "a.b"/);
  });
});

function withHeader(header: string, body: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(body, 8 + h.length);
  return out;
}
