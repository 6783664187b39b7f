import type { ImportProgress } from '@switchboard/core'

/** A one-line progress bar on stderr (redrawn in place on a terminal, sparse lines otherwise). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY
  let lastShown = -1
  return {
    update(p: ImportProgress, force = false) {
      const share = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0
      const pct = Math.floor(share * 100)
      // Off a terminal, one line per quarter keeps logs readable.
      if (!tty && !force && (Math.floor(pct / 25) === Math.floor(lastShown / 25) || pct === 100)) return
      lastShown = pct
      const width = 30
      const filled = Math.round(share * width)
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
      const line = `${label} ${bar} ${String(pct).padStart(3)}%  ${p.rows} rows  ${p.imported} new  ${p.duplicates} duplicates  ${p.rejected} rejected`
      process.stderr.write(tty ? `\r${line}` : `${line}\n`)
    },
    done(p: ImportProgress) {
      this.update({ ...p, bytes: p.totalBytes ?? p.bytes }, true)
      if (tty) process.stderr.write('\n')
    },
  }
}
