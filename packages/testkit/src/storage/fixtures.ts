/** A small CSV with the mistakes real lists have, and the outcome each row must get. */
export const sampleCsv = [
  'id,first,last,phone,mobile,email,country,state,balance,stage',
  'A1,John,Smith,(415) 555-0132,,john.smith@example.com,US,CA,120.50,lead', // 2 ok
  'A2,MARIA,GARCIA,+34 612 345 678,,maria@example.es,ES,,0,customer', // 3 ok
  'A3,Jon,Smiht,415-555-0132,,,US,CA,,lead', // 4 duplicate of line 2 (same phone, similar name)
  'A4,Ann,Lee,12345,,ann@example,US,NY,,lead', // 5 rejected: bad phone and bad email
  'A5,Bob,Stone,+1 212 555 0199,,bob@example.com,US,NY,abc,lead', // 6 rejected: bad balance
  'A6,"O\'Brien, Pat",,+44 20 7946 0018,,pat@example.co.uk,GB,,,prospect', // 7 ok (quoted comma)
  'A7,Too,Few,fields', // 8 rejected: field count
  'A8,Li,Wei,,,li.wei@example.com,US,WA,,lead', // 9 ok (email only)
  'A9,,,,,,US,,,', // 10 rejected: no name
].join('\n')

export const sampleMapping = {
  externalRef: 'id',
  firstName: 'first',
  lastName: 'last',
  phones: ['phone', 'mobile'],
  emails: 'email',
  address: { country: 'country', region: 'state' },
  openBalance: 'balance',
  lifecycle: 'stage',
} as const

export async function* chunked(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}
