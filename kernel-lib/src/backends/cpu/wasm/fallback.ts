// TypeScript kernels used when WebAssembly SIMD is unavailable (or KERNEL_LIB_WASM=off). Same contracts as the
// wasm kernels; all arithmetic rounds to float32 on every store, as the wasm kernels do.

/** C[m,n] (+)= op(A)[m,k]·op(B)[k,n] on Float32Arrays, then optional bias[n] and ReLU (bias/relu after the sum). */
export function gemmF32Ts(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, c: Float32Array, cOff: number,
  accumulate: boolean, bias: Float32Array | null = null, relu = false,
): void {
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    if (transB) {
      // B stored [n,k]: dot products along contiguous k.
      for (let j = 0; j < n; j++) {
        let s = 0;
        const bj = bOff + j * k;
        if (transA) for (let p = 0; p < k; p++) s += a[aOff + p * m + i] * b[bj + p];
        else {
          const ai = aOff + i * k;
          for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        }
        row[j] = s;
      }
    } else {
      for (let p = 0; p < k; p++) {
        const av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
        if (av === 0) continue;
        const bp = bOff + p * n;
        for (let j = 0; j < n; j++) row[j] += av * b[bp + j];
      }
    }
    const ci = cOff + i * n;
    for (let j = 0; j < n; j++) {
      let v = Math.fround(row[j]);
      if (accumulate) v = Math.fround(v + c[ci + j]);
      if (bias) v = Math.fround(v + bias[j]);
      c[ci + j] = relu && v <= 0 ? 0 : v; // NaN stays NaN, as in the wasm kernel
    }
  }
}

export function softmaxCrossEntropyTs(
  logits: Float32Array, labels: Int32Array, rows: number, cols: number,
  losses: Float32Array | null, grad: Float32Array | null, gradScale: number,
): number {
  let total = 0;
  const e = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let mx = -Infinity;
    for (let j = 0; j < cols; j++) mx = Math.max(mx, logits[base + j]);
    let s = 0;
    for (let j = 0; j < cols; j++) s += (e[j] = Math.exp(logits[base + j] - mx));
    const label = labels[r];
    const loss = Math.fround(mx + Math.log(s) - logits[base + label]);
    total += loss;
    if (losses) losses[r] = loss;
    if (grad) {
      for (let j = 0; j < cols; j++) grad[base + j] = (e[j] / s) * gradScale;
      grad[base + label] -= gradScale;
    }
  }
  return total;
}

export function sgdStepTs(
  p: Float32Array, g: Float32Array, buf: Float32Array | null,
  lr: number, momentum: number, weightDecay: number, nesterov: boolean, first: boolean,
): void {
  const f = Math.fround;
  for (let i = 0; i < p.length; i++) {
    let gv = g[i];
    if (weightDecay !== 0) gv = f(gv + f(weightDecay * p[i]));
    if (momentum !== 0 && buf) {
      const bv = first ? gv : f(f(momentum * buf[i]) + gv);
      buf[i] = bv;
      gv = nesterov ? f(gv + f(momentum * bv)) : bv;
    }
    p[i] = f(p[i] - f(lr * gv));
  }
}

export function adamStepTs(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: boolean,
  stepSize: number, bc2Sqrt: number,
): void {
  const f = Math.fround;
  const w1 = f(1 - beta1), b2 = f(beta2), w2 = f(1 - beta2), decay = f(1 - f(lr * weightDecay));
  const ss = f(stepSize), bc2 = f(bc2Sqrt), ep = f(eps), wd = f(weightDecay);
  for (let i = 0; i < p.length; i++) {
    let pv = p[i];
    let gv = g[i];
    if (wd !== 0) {
      if (decoupled) pv = f(pv * decay);
      else gv = f(gv + f(wd * pv));
    }
    const mv = f(m[i] + f(w1 * f(gv - m[i])));
    const vv = f(f(v[i] * b2) + f(w2 * f(gv * gv)));
    const denom = f(f(f(Math.sqrt(vv)) / bc2) + ep);
    m[i] = mv;
    v[i] = vv;
    p[i] = f(pv - f(ss * f(mv / denom)));
  }
}

export function reluTs(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] <= 0 ? 0 : x[i]; // NaN stays NaN
}

export function reluBackwardTs(gy: Float32Array, x: Float32Array, gx: Float32Array): void {
  for (let i = 0; i < x.length; i++) gx[i] = x[i] > 0 ? gy[i] : 0;
}

export function addBiasTs(x: Float32Array, bias: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) out[base + j] = x[base + j] + bias[j];
  }
}

export function sumRowsTs(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) out[j] += x[base + j];
  }
}
