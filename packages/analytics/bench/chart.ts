// The calibration chart: predicted against observed rate by decile, one line
// per method, beside the diagonal of perfect calibration. Vega-Lite compiled
// to Vega, rendered to SVG headless (no browser, no canvas).
import type { CalibrationBin } from '@switchboard/analytics'
import * as vega from 'vega'
import * as vl from 'vega-lite'

export async function calibrationSvg(
  series: ReadonlyArray<{ readonly name: string; readonly bins: ReadonlyArray<CalibrationBin> }>,
  title: string,
): Promise<string> {
  const values = series.flatMap((s) =>
    s.bins.map((b) => ({ method: s.name, predicted: b.meanPredicted, observed: b.observed, n: b.n })),
  )
  const top = Math.min(
    1,
    Math.ceil(Math.max(...values.map((v) => Math.max(v.predicted, v.observed))) * 10 + 0.5) / 10,
  )
  const axis = { type: 'quantitative', scale: { domain: [0, top] } } as const
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 420,
    background: 'white',
    // A static picture: no ARIA roles for interactive marks.
    config: { aria: false },
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: top, y: top },
          ],
        },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: {
          x: { field: 'x', ...axis, title: 'predicted probability (decile mean)' },
          y: { field: 'y', ...axis, title: 'observed conversion rate' },
        },
      },
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'predicted', ...axis },
          y: { field: 'observed', ...axis },
          color: { field: 'method', type: 'nominal', title: null },
        },
      },
    ],
  }
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' })
  const svg = await view.toSVG()
  view.finalize()
  // A picture in a README, not a widget: an accessible name as the svg's first
  // child, and none of the roles Vega gives the groups of an interactive view.
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  return svg
    .replace(/ (role|aria-roledescription)="[^"]*"/g, '')
    .replace(/^(<svg[^>]*>)/, `$1<title>${escaped}</title>`)
}
