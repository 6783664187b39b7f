const PARTICLES = new Set(['de', 'del', 'la', 'van', 'von', 'der', 'da', 'di', 'du', 'le', 'y'])
const ROMAN = /^(i{1,3}|iv|v|vi{1,3}|ix|x)$/i

function capitalise(word: string): string {
  if (!word) return word
  if (ROMAN.test(word)) return word.toUpperCase()
  if (/^(mc)(.+)/i.test(word)) return `Mc${capitalise(word.slice(2))}`
  return word
    .split(/([-'])/)
    .map((part) =>
      part === '-' || part === "'" ? part : part.charAt(0).toUpperCase() + part.slice(1).toLowerCase(),
    )
    .join('')
}

/**
 * A name as stored: what the person typed, with only the white space around
 * it removed (inner spaces, case and punctuation are theirs). Empty is absent.
 */
export function tidyName(raw: string | undefined): string | undefined {
  if (raw == null) return undefined
  const trimmed = raw.trim()
  return trimmed || undefined
}

/**
 * A suggestion only, never applied by Switchboard: the name in conventional
 * case when it was typed all in capitals or all in lower case ("JOHN o'brien"
 * -> "John O'Brien", "SMITH III" -> "Smith III"). Words in mixed case
 * ("McKenzie", "DeShawn") are kept. A screen may offer it; the stored name
 * stays as typed (people write "bell hooks", "DJ", "MACDONALD" on purpose).
 */
export function suggestNameCase(raw: string | undefined): string | undefined {
  const name = tidyName(raw)
  if (!name) return undefined
  return name
    .split(/\s+/)
    .map((w, i) => {
      if (w !== w.toUpperCase() && w !== w.toLowerCase()) return w
      return i > 0 && PARTICLES.has(w.toLowerCase()) ? w.toLowerCase() : capitalise(w)
    })
    .join(' ')
}

/** Lower-case ASCII letters only: "José-María" -> "josemaria". */
export function foldName(name: string | undefined): string {
  return (name ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
}

/** American Soundex: names that sound alike (and most one-letter typos) share a code. */
export function soundex(name: string): string {
  const s = foldName(name)
  if (!s) return ''
  const codes: Record<string, string> = {
    b: '1',
    f: '1',
    p: '1',
    v: '1',
    c: '2',
    g: '2',
    j: '2',
    k: '2',
    q: '2',
    s: '2',
    x: '2',
    z: '2',
    d: '3',
    t: '3',
    l: '4',
    m: '5',
    n: '5',
    r: '6',
  }
  let out = s[0]!.toUpperCase()
  let last = codes[s[0]!] ?? ''
  for (let i = 1; i < s.length && out.length < 4; i++) {
    const ch = s[i]!
    const code = codes[ch] ?? ''
    if (code && code !== last) out += code
    if (ch !== 'h' && ch !== 'w') last = code
  }
  return out.padEnd(4, '0')
}

/** Jaro-Winkler similarity in [0, 1] of two folded strings. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a ? 1 : 0
  if (!a || !b) return 0
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1)
  const aM = new Array<boolean>(a.length).fill(false)
  const bM = new Array<boolean>(b.length).fill(false)
  let matches = 0
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - range); j < Math.min(b.length, i + range + 1); j++) {
      if (!bM[j] && a[i] === b[j]) {
        aM[i] = bM[j] = true
        matches++
        break
      }
    }
  }
  if (!matches) return 0
  let t = 0
  let k = 0
  for (let i = 0; i < a.length; i++) {
    if (!aM[i]) continue
    while (!bM[k]) k++
    if (a[i] !== b[k]) t++
    k++
  }
  const jaro = (matches / a.length + matches / b.length + (matches - t / 2) / matches) / 3
  let prefix = 0
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++
  return jaro + prefix * 0.1 * (1 - jaro)
}
