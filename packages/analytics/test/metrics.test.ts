import { describe, expect, it } from 'vitest'
import { auc, calibrationTable, expectedCalibrationError, logLoss } from '../src/model/metrics.js'

describe('metrics', () => {
  it('AUC: perfect, reversed, ties and a hand-counted case', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1)
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0)
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5)
    // Pairs (positive, negative): (0.4: 0.1 yes, 0.5 no, 0.4 tie) (0.8: all three yes) = (1 + 0.5 + 3) / 6
    expect(auc([0.1, 0.5, 0.4, 0.4, 0.8], [0, 0, 0, 1, 1])).toBeCloseTo(4.5 / 6, 12)
  })
  it('log loss of known values', () => {
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 12)
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12)
  })
  it('calibration by equal-count bins, and its expected error', () => {
    const p = [0.1, 0.1, 0.2, 0.2, 0.6, 0.6, 0.9, 0.9]
    const y = [0, 0, 0, 1, 1, 1, 1, 0]
    const t = calibrationTable(p, y, 4)
    expect(t.map((b) => [b.n, b.meanPredicted, b.observed])).toEqual([
      [2, 0.1, 0],
      [2, 0.2, 0.5],
      [2, 0.6, 1],
      [2, 0.9, 0.5],
    ])
    expect(expectedCalibrationError(t)).toBeCloseTo((0.1 + 0.3 + 0.4 + 0.4) / 4, 12)
  })
})
