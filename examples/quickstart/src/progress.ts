import type { ImportProgress } from '@switchboard/core'
import cliProgress from 'cli-progress'

/**
 * The import's progress bar on stderr (cli-progress): redrawn in place on a
 * terminal; off one (a CI log), one plain line every two seconds and at the end.
 */
export function progressBar(label: string) {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {percentage}%  {rows} rows  {imported} new  {duplicates} duplicates  {rejected} rejected`,
      noTTYOutput: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  const figures = (p: ImportProgress) => ({
    rows: p.rows,
    imported: p.imported,
    duplicates: p.duplicates,
    rejected: p.rejected,
  })
  return {
    update(p: ImportProgress) {
      if (!started) {
        started = true
        bar.start(p.totalBytes ?? 0, p.bytes, figures(p))
      }
      bar.update(p.bytes, figures(p))
    },
    done(p: ImportProgress) {
      this.update({ ...p, bytes: p.totalBytes ?? p.bytes })
      bar.stop()
    },
  }
}
