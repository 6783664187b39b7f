import { currencyDigits } from '@switchboard/core/domain'

/** `1:05`, `1:02:03`; a negative duration reads as its absolute value. */
export function clock(totalSec: number): string {
  const s = Math.abs(Math.trunc(totalSec))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** A fraction as a percentage, one decimal (`0.0312` -> `3.1 %`); null reads as an en dash. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)} %`
}

/** An ISO instant as the viewer's date and time (or in `zone`). */
export function dateTime(iso: string, zone?: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(zone ? { timeZone: zone } : {}),
  })
}

/** Money in minor units, in its currency (its own number of decimals: cents, yen, fils). */
export function money(amountMinor: number, currency: string): string {
  const digits = currencyDigits(currency) ?? 2
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amountMinor / 10 ** digits)
  } catch {
    return `${amountMinor / 10 ** digits} ${currency}`
  }
}
