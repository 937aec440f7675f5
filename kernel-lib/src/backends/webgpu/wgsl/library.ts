/**
 * The functions every elementwise shader may call (the library of the expression language), written so that
 * their results match the CPU's (JavaScript Math) where WGSL leaves them undefined or imprecise: log and sqrt of
 * negatives and zero, pow of negative bases and zero exponents, NaN in min/max, tanh of large arguments, and a
 * NaN test on the bits. erf is Abramowitz & Stegun 7.1.26 refined (|error| < 1.2e-7, inside float32's tolerance).
 */
export const WGSL_LIBRARY = /* wgsl */ `
// NaN and infinity cannot be constant expressions in WGSL; private variables make them runtime values
var<private> kl_nan_bits: u32 = 0x7fc00000u;
var<private> kl_inf_bits: u32 = 0x7f800000u;
fn kl_nan() -> f32 { return bitcast<f32>(kl_nan_bits); }
fn kl_inf() -> f32 { return bitcast<f32>(kl_inf_bits); }
fn kl_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kl_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn kl_exp(x: f32) -> f32 {
  if (kl_isnan(x)) { return x; }
  if (x > 88.72284) { return kl_inf(); }
  if (x < -103.97208) { return 0.0; }
  return exp(x);
}
fn kl_log(x: f32) -> f32 {
  if (kl_isnan(x) || x < 0.0) { return kl_nan(); }
  if (x == 0.0) { return -kl_inf(); }
  if (kl_isinf(x)) { return x; }
  return log(x);
}
fn kl_sqrt(x: f32) -> f32 {
  if (kl_isnan(x) || x < 0.0) { return kl_nan(); }
  if (kl_isinf(x) || x == 0.0) { return x; }
  return sqrt(x);
}
fn kl_abs(x: f32) -> f32 { return abs(x); }
// WGSL promises sin/cos only to an absolute 2^-11 on [-pi, pi] (SwiftShader is off by 5e-5 at x = 2), so they
// are computed here: reduction by multiples of pi/2 in three parts (Cody-Waite), then Cephes' float32
// polynomials on [-pi/4, pi/4] (about 1 ulp).
fn kl_sin_poly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * (-1.9515295891e-4)));
}
fn kl_cos_poly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
}
fn kl_sincos(x: f32, shift: i32) -> f32 {
  if (kl_isnan(x) || kl_isinf(x)) { return kl_nan(); }
  let j = round(x * 0.6366197723675814);
  let r = ((x - j * 1.5703125) - j * 4.837512969970703125e-4) - j * 7.54978995489188216e-8;
  let q = (i32(j) + shift) & 3;
  if (q == 0) { return kl_sin_poly(r); }
  if (q == 1) { return kl_cos_poly(r); }
  if (q == 2) { return -kl_sin_poly(r); }
  return -kl_cos_poly(r);
}
fn kl_sin(x: f32) -> f32 { return kl_sincos(x, 0); }
fn kl_cos(x: f32) -> f32 { return kl_sincos(x, 1); }
fn kl_tanh(x: f32) -> f32 {
  if (kl_isnan(x)) { return x; }
  if (x > 9.0) { return 1.0; }
  if (x < -9.0) { return -1.0; }
  return tanh(x);
}
fn kl_floor(x: f32) -> f32 { return floor(x); }
fn kl_ceil(x: f32) -> f32 { return ceil(x); }
fn kl_trunc(x: f32) -> f32 { return trunc(x); }
fn kl_round(x: f32) -> f32 { return round(x); }
fn kl_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (kl_isnan(x) || kl_isnan(y)) { return kl_nan(); }
  if (x == 0.0) {
    let odd = trunc(y) == y && abs(y % 2.0) == 1.0;
    if (y > 0.0) { return select(0.0, x, odd); }
    return select(kl_inf(), select(kl_inf(), -kl_inf(), bitcast<u32>(x) != 0u), odd);
  }
  if (y == 1.0) { return x; }
  if (y == 0.5) { return kl_sqrt(x); }
  // small integer exponents by repeated squaring: x*x is exact to one rounding, as the CPU's pow rounded to f32
  if (trunc(y) == y && abs(y) <= 64.0) {
    var n = u32(abs(y));
    var base = x;
    var acc: f32 = 1.0;
    loop {
      if ((n & 1u) == 1u) { acc = acc * base; }
      n = n >> 1u;
      if (n == 0u) { break; }
      base = base * base;
    }
    return select(acc, 1.0 / acc, y < 0.0);
  }
  let m = exp2(y * log2(abs(x)));
  if (x < 0.0) {
    if (trunc(y) != y) { return kl_nan(); }
    return select(m, -m, abs(y % 2.0) == 1.0);
  }
  return m;
}
fn kl_min(a: f32, b: f32) -> f32 { if (kl_isnan(a) || kl_isnan(b)) { return kl_nan(); } return min(a, b); }
fn kl_max(a: f32, b: f32) -> f32 { if (kl_isnan(a) || kl_isnan(b)) { return kl_nan(); } return max(a, b); }
fn kl_log1p(x: f32) -> f32 {
  if (kl_isnan(x) || x < -1.0) { return kl_nan(); }
  if (x == -1.0) { return -kl_inf(); }
  if (kl_isinf(x)) { return x; }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * (x / (u - 1.0));
}
fn kl_expm1(x: f32) -> f32 {
  if (kl_isnan(x)) { return x; }
  if (x > 88.72284) { return kl_inf(); }
  if (x < -17.0) { return -1.0; }
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  return um1 * (x / log(u));
}
fn kl_erf(x: f32) -> f32 {
  if (kl_isnan(x)) { return x; }
  let a = abs(x);
  if (a > 4.0) { return sign(x); }
  // A&S 7.1.26 has |error| 1.5e-7; for small |x| use the series, which is exact to float32 there
  if (a < 0.5) {
    let x2 = x * x;
    return x * (1.1283791671 + x2 * (-0.3761263890 + x2 * (0.1128379167 + x2 * (-0.0268661706 + x2 * (0.0052239776 + x2 * (-0.000854832 + x2 * 0.00012055))))));
  }
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(-y, y, x >= 0.0);
}
fn kl_sigmoid(x: f32) -> f32 {
  if (kl_isnan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + kl_exp(-x)); }
  let e = kl_exp(x);
  return e / (1.0 + e);
}
fn kl_softplus(x: f32, beta: f32, threshold: f32) -> f32 {
  let z = beta * x;
  if (z > threshold) { return x; }
  // log1p(exp(z)) without overflow in f32 (the CPU computes it in float64, where exp(150) is finite)
  return (max(z, 0.0) + kl_log1p(kl_exp(-abs(z)))) / beta;
}
fn kl_logsigmoid(x: f32) -> f32 { return min(x, 0.0) - kl_log1p(kl_exp(-abs(x))); }
`;

/** Conversions from the f32 a kernel computes to the storage type of an int32 or uint8/bool output. */
export const WGSL_STORE_LIBRARY = /* wgsl */ `
fn kl_to_i32(v: f32) -> i32 {
  if (!(abs(v) < 2147483648.0)) { return 0; }
  return i32(trunc(v));
}
fn kl_to_u8(v: f32) -> u32 { return u32(kl_to_i32(v) & 255); }
`;
