/** Distribution helpers: lognormal parameters, the normal CDF and its inverse, Erlang B. */

export interface LogNormalParams {
  readonly mu: number
  readonly sigma: number
}

/** Lognormal parameters from the mean and standard deviation of the variable itself. */
export function logNormalFromMoments(mean: number, sd: number): LogNormalParams {
  const cv2 = (sd / mean) ** 2
  const sigma2 = Math.log(1 + cv2)
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) }
}

/** Standard normal CDF (W. J. Cody style rational approximation through erfc; |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.5 * z)
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  const r = t * Math.exp(-z * z + poly)
  return x >= 0 ? 1 - 0.5 * r : 0.5 * r
}

/** Inverse standard normal CDF (Acklam's algorithm, relative error < 1.2e-9 after one refinement). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const lo = 0.02425
  let x: number
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p))
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  } else if (p <= 1 - lo) {
    const q = p - 0.5
    const r = q * q
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  }
  return x
}

/** Erlang B blocking probability for `servers` servers and `load` erlangs (stable recursion). */
export function erlangB(servers: number, load: number): number {
  let b = 1
  for (let k = 1; k <= servers; k++) b = (load * b) / (k + load * b)
  return b
}

/** The offered load (erlangs) at which Erlang B blocking equals `blocking`. */
export function erlangBLoad(servers: number, blocking: number): number {
  let lo = 0
  let hi = Math.max(1, servers * 4)
  while (erlangB(servers, hi) < blocking) hi *= 2
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2
    if (erlangB(servers, mid) < blocking) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

const NCDF_STEP = 1 / 64
const NCDF_MIN = -8
const NCDF_TABLE = (() => {
  const n = Math.round((2 * -NCDF_MIN) / NCDF_STEP) + 1
  const t = new Float64Array(n + 1)
  for (let i = 0; i <= n; i++) t[i] = normalCdf(NCDF_MIN + i * NCDF_STEP)
  return t
})()
const NCDF_LAST = NCDF_TABLE.length - 2

/** Standard normal CDF by table lookup and linear interpolation (absolute error < 1e-5): for hot loops. */
export function normalCdfFast(x: number): number {
  const pos = (x - NCDF_MIN) / NCDF_STEP
  if (pos <= 0) return 0
  if (pos >= NCDF_LAST) return 1
  const i = pos | 0
  const lo = NCDF_TABLE[i]!
  return lo + (NCDF_TABLE[i + 1]! - lo) * (pos - i)
}
