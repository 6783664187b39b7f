/**
 * Solves `A x = b` for a symmetric positive definite `A` (row-major, k x k)
 * by Cholesky factorisation. Newton's step for an L2-regularised logistic
 * regression has exactly this shape: the Hessian `X'WX + lambda I` is SPD
 * for any lambda > 0, and k (the features) is a few dozen at most, so a
 * 40-line solve is exact, stable and needs no matrix library.
 */
export function choleskySolve(a: ReadonlyArray<ReadonlyArray<number>>, b: ReadonlyArray<number>): number[] {
  const k = b.length
  const l: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!
      for (let p = 0; p < j; p++) s -= l[i]![p]! * l[j]![p]!
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`the matrix is not positive definite (pivot ${i} is ${s})`)
        l[i]![i] = Math.sqrt(s)
      } else l[i]![j] = s / l[j]![j]!
    }
  }
  // Forward (L y = b), then back (L' x = y) substitution.
  const y = new Array<number>(k).fill(0)
  for (let i = 0; i < k; i++) {
    let s = b[i]!
    for (let p = 0; p < i; p++) s -= l[i]![p]! * y[p]!
    y[i] = s / l[i]![i]!
  }
  const x = new Array<number>(k).fill(0)
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!
    for (let p = i + 1; p < k; p++) s -= l[p]![i]! * x[p]!
    x[i] = s / l[i]![i]!
  }
  return x
}
