// The shift's progress bar (cli-progress on stderr; a line every few seconds when stderr is not a terminal).
import cliProgress from 'cli-progress'

export function shiftBar(): {
  update(doneSec: number, totalSec: number, s: { dials: number; connects: number }): void
  stop(): void
} {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format:
        'shift {bar} {percentage}% | {clock} virtual | {dials} dials, {connects} connects | {duration}s',
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    update(doneSec, totalSec, s) {
      const clock = `${Math.floor(doneSec / 3600)}h${String(Math.floor((doneSec % 3600) / 60)).padStart(2, '0')}`
      if (!started) {
        started = true
        bar.start(totalSec, doneSec, { clock, ...s })
      }
      bar.update(doneSec, { clock, ...s })
    },
    stop() {
      if (started) bar.stop()
    },
  }
}
