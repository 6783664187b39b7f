// Occupancy against abandonment for every dialer, one panel per scenario and target, as SVG.
const COLORS = {
  progressive: '#7f7f7f',
  'adaptive-ratio': '#d62728',
  'lines-per-agent': '#ff7f0e',
  'static-poisson': '#9467bd',
  predictive: '#1f77b4',
}

export function renderChart(results, scenarios, targets) {
  const pw = 260
  const ph = 200
  const m = { l: 48, r: 12, t: 28, b: 34 }
  const cols = targets.length
  const rows = scenarios.length
  const W = cols * pw + 20
  const H = rows * ph + 60
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="10">`,
    '<title>Switchboard dialer benchmark: handle occupancy against abandonment (by each scenario’s formula), every dialer</title>',
    `<rect width="100%" height="100%" fill="white"/>`,
  ]
  let lx = 10
  for (const [name, c] of Object.entries(COLORS)) {
    out.push(`<circle cx="${lx + 5}" cy="14" r="4" fill="${c}"/><text x="${lx + 12}" y="18">${name}</text>`)
    lx += 12 + name.length * 6 + 14
  }
  scenarios.forEach((sc, i) => {
    targets.forEach((t, j) => {
      const x0 = 10 + j * pw
      const y0 = 30 + i * ph
      const rs = results.filter((r) => r.scenario === sc.name && r.target === t)
      if (rs.length === 0) return
      const xmax = t * 3 // dialers far above the target are drawn at the right edge with their value
      const ymin = Math.max(0, Math.min(...rs.map((r) => r.handleOccupancyMean)) - 0.05)
      const ymax = Math.min(1, Math.max(...rs.map((r) => r.handleOccupancyMean), rs[0].limit ?? 0) + 0.03)
      const X = (v) => x0 + m.l + (Math.min(v, xmax) / xmax) * (pw - m.l - m.r)
      const Y = (v) => y0 + ph - m.b - ((v - ymin) / (ymax - ymin)) * (ph - m.t - m.b)
      out.push(
        `<text x="${x0 + m.l}" y="${y0 + 16}" font-weight="bold">${sc.name} @ ${(t * 100).toFixed(0)}%</text>`,
      )
      out.push(
        `<rect x="${x0 + m.l}" y="${y0 + m.t}" width="${pw - m.l - m.r}" height="${ph - m.t - m.b}" fill="none" stroke="#999"/>`,
      )
      out.push(
        `<line x1="${X(t)}" x2="${X(t)}" y1="${y0 + m.t}" y2="${y0 + ph - m.b}" stroke="#2ca02c" stroke-dasharray="3,3"/>`,
      )
      if (rs[0].limit)
        out.push(
          `<line x1="${x0 + m.l}" x2="${x0 + pw - m.r}" y1="${Y(rs[0].limit)}" y2="${Y(rs[0].limit)}" stroke="#000" stroke-dasharray="2,2"/><text x="${x0 + pw - m.r - 40}" y="${Y(rs[0].limit) - 3}">limit</text>`,
        )
      for (const k of [0, 0.5, 1]) {
        const v = ymin + k * (ymax - ymin)
        out.push(
          `<text x="${x0 + m.l - 4}" y="${Y(v) + 3}" text-anchor="end">${(v * 100).toFixed(0)}%</text>`,
        )
        const a = k * xmax
        out.push(
          `<text x="${X(a)}" y="${y0 + ph - m.b + 12}" text-anchor="middle">${(a * 100).toFixed(1)}%</text>`,
        )
      }
      out.push(
        `<text x="${x0 + m.l + (pw - m.l - m.r) / 2}" y="${y0 + ph - 8}" text-anchor="middle">abandonment (US)</text>`,
      )
      for (const r of rs)
        if (r.rate.mean > xmax)
          out.push(
            `<text x="${X(xmax) - 6}" y="${Y(r.handleOccupancyMean) + 3}" text-anchor="end" fill="${COLORS[r.dialer] ?? '#000'}">${(r.rate.mean * 100).toFixed(0)}% →</text>`,
          )
      for (const r of rs)
        out.push(
          `<circle cx="${X(r.rate.mean)}" cy="${Y(r.handleOccupancyMean)}" r="4" fill="${COLORS[r.dialer] ?? '#000'}"><title>${r.dialer}: ${(r.handleOccupancyMean * 100).toFixed(1)}% at ${(r.rate.mean * 100).toFixed(2)}%</title></circle>`,
        )
    })
  })
  out.push('</svg>')
  return out.join('\n')
}
