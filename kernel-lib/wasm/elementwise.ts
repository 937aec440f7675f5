// Elementwise and reduction kernels on f32 arrays in linear memory (byte pointers).

/** out = max(x, 0); out may alias x. */
export function relu(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.max(v128.load(x + (<usize>i << 2)), zero));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), max<f32>(load<f32>(x + (<usize>i << 2)), 0));
}

/** gx = x > 0 ? gy : 0 (ReLU's derivative at 0 is 0); x may be the ReLU input or its output. */
export function reluBackward(gy: usize, x: usize, gx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(gx + o, v128.and(v128.load(gy + o), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(gx + o, load<f32>(x + o) > 0 ? load<f32>(gy + o) : 0);
  }
}

/** out[r, c] = x[r, c] + bias[c] over rows x cols; out may alias x. */
export function addBias(x: usize, bias: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * cols << 2;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + base + o, f32x4.add(v128.load(x + base + o), v128.load(bias + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(out + base + o, load<f32>(x + base + o) + load<f32>(bias + o));
    }
  }
}

/** out[c] = sum over r of x[r, c] (the bias gradient of a Linear layer), summed in row order, streaming rows. */
export function sumRows(x: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, <usize>cols << 2);
  for (let r = 0; r < rows; r++) {
    const base = x + (<usize>r * cols << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(base + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(base + o));
    }
  }
}
