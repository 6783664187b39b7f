/**
 * How good a probability is on held-out data: ranking (AUC), sharpness and
 * calibration together (log loss), calibration alone (a table by decile and
 * the expected calibration error).
 */

/**
 * The area under the ROC curve: the chance a random positive is ranked above
 * a random negative (ties count half).
 *
 * @example
 * ```ts
 * import { auc, calibrationTable, expectedCalibrationError, logLoss } from '@switchboard/analytics'
 * const predicted = [0.1, 0.3, 0.35, 0.8]
 * const bought = [0, 0, 1, 1]
 * console.log(auc(predicted, bought), logLoss(predicted, bought))
 * console.log(expectedCalibrationError(calibrationTable(predicted, bought, 2)))
 * ```
 */
export function auc(predicted: ReadonlyArray<number>, labels: ReadonlyArray<number>): number {
  const order = predicted.map((p, i) => [p, labels[i]!] as const).sort((a, b) => a[0] - b[0])
  let rankSumPositives = 0
  let positives = 0
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j < order.length && order[j]![0] === order[i]![0]) j++
    const meanRank = (i + 1 + j) / 2 // ranks i+1..j share their average
    for (let m = i; m < j; m++)
      if (order[m]![1] === 1) {
        rankSumPositives += meanRank
        positives++
      }
    i = j
  }
  const negatives = order.length - positives
  if (!positives || !negatives) return Number.NaN
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives)
}

/** Mean negative log-likelihood (natural log), probabilities clipped to [1e-15, 1 - 1e-15]. */
export function logLoss(predicted: ReadonlyArray<number>, labels: ReadonlyArray<number>): number {
  let s = 0
  for (const [i, p0] of predicted.entries()) {
    const p = Math.min(Math.max(p0, 1e-15), 1 - 1e-15)
    s -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p)
  }
  return s / predicted.length
}

export interface CalibrationBin {
  /** 1 for the lowest predictions. */
  readonly bin: number
  readonly n: number
  readonly meanPredicted: number
  readonly observed: number
}

/** Predicted against observed rate in equal-count bins of the prediction (deciles by default). */
export function calibrationTable(
  predicted: ReadonlyArray<number>,
  labels: ReadonlyArray<number>,
  bins = 10,
): CalibrationBin[] {
  const order = predicted.map((p, i) => [p, labels[i]!] as const).sort((a, b) => a[0] - b[0])
  const out: CalibrationBin[] = []
  for (let b = 0; b < bins; b++) {
    const part = order.slice(
      Math.floor((b * order.length) / bins),
      Math.floor(((b + 1) * order.length) / bins),
    )
    if (!part.length) continue
    out.push({
      bin: b + 1,
      n: part.length,
      meanPredicted: part.reduce((s, x) => s + x[0], 0) / part.length,
      observed: part.reduce((s, x) => s + x[1], 0) / part.length,
    })
  }
  return out
}

/** Expected calibration error: the bins' |predicted - observed|, weighted by their share of the rows. */
export function expectedCalibrationError(table: ReadonlyArray<CalibrationBin>): number {
  const total = table.reduce((s, b) => s + b.n, 0)
  return table.reduce((s, b) => s + (b.n / total) * Math.abs(b.meanPredicted - b.observed), 0)
}
