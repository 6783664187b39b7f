import type { Contact, ContactId, TenantApi } from '@switchboard/core'
import { Channel, ConsentInput, validationFailed } from '@switchboard/core'
import { Hono } from 'hono'
import { z } from 'zod'
import type { Env } from './auth.js'
import { jsonBody, parseWith, queryOf } from './validate.js'

const SearchQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
})
const ConsentQuery = z.strictObject({
  channel: Channel,
  purpose: z.string().min(1).max(200).optional(),
  campaignId: z.string().min(1).max(128).optional(),
})
/** Core's ConsentInput without `contactId` (the path names the contact). */
const ConsentBody = z.record(z.string(), z.unknown())

const PHONE = /^[+\d\s().-]+$/
/** Name search reads the tenant's contacts in pages; past this many it stops (say so to the caller via the limit). */
const NAME_SCAN_MAX = 20_000

const nameOf = (c: Contact) =>
  [c.displayName, c.firstName, c.lastName, c.company].filter(Boolean).join(' ').toLowerCase()

/** Contacts by phone (any way it is written) or by a part of the name. */
async function search(t: TenantApi, q: string | undefined, limit: number): Promise<Contact[]> {
  if (!q) return t.contacts.list({ limit })
  if (PHONE.test(q) && q.replace(/\D/g, '').length >= 4) {
    const byPhone = await t.contacts.findByPhone(q).catch(() => [])
    if (byPhone.length) return byPhone.slice(0, limit)
  }
  const needle = q.toLowerCase()
  const found: Contact[] = []
  let after: string | undefined
  for (let read = 0; read < NAME_SCAN_MAX; ) {
    const page = await t.contacts.list({ limit: 1000, ...(after ? { after } : {}) })
    for (const c of page) if (nameOf(c).includes(needle)) found.push(c)
    if (found.length >= limit || page.length < 1000) break
    read += page.length
    after = page[page.length - 1]!.id
  }
  return found.slice(0, limit)
}

/** The CRM card: search, the contact, its timeline with recordings, consent, cases. */
export const contactRoutes = () =>
  new Hono<Env>()
    .get('/contacts', queryOf('contact search', SearchQuery), async (c) => {
      const q = c.req.valid('query')
      return c.json(await search(c.get('t'), q.q, q.limit ?? 20))
    })
    .get('/contacts/:id', async (c) => c.json(await c.get('t').contacts.get(c.req.param('id') as ContactId)))
    .get('/contacts/:id/timeline', async (c) => {
      const t = c.get('t')
      const contact = await t.contacts.get(c.req.param('id') as ContactId)
      const [timeline, recordings] = await Promise.all([
        t.contacts.timeline(contact.id),
        t.recordings.listByContact(contact.id),
      ])
      return c.json(
        timeline.map((i) => ({ ...i, recordings: recordings.filter((r) => r.interactionId === i.id) })),
      )
    })
    .get('/contacts/:id/consent', queryOf('consent question', ConsentQuery), async (c) => {
      const t = c.get('t')
      const contact = await t.contacts.get(c.req.param('id') as ContactId)
      const q = c.req.valid('query')
      const [decision, history] = await Promise.all([
        t.consent.canContact(contact.id, {
          channel: q.channel,
          ...(q.purpose ? { purpose: q.purpose } : {}),
          ...(q.campaignId ? { campaignId: q.campaignId } : {}),
        }),
        t.consent.history(contact.id),
      ])
      return c.json({ decision, history })
    })
    .post(
      '/contacts/:id/consent',
      jsonBody(
        'consent',
        ConsentBody as unknown as z.ZodType<Record<string, unknown>, Omit<ConsentInput, 'contactId'>>,
      ),
      async (c) => {
        const t = c.get('t')
        const contact = await t.contacts.get(c.req.param('id') as ContactId)
        const body = c.req.valid('json')
        // `contactId` comes from the path; one in the body is refused, not silently replaced.
        if ('contactId' in body)
          throw validationFailed('consent', [
            { field: 'contactId', value: body.contactId, message: 'unknown key: the path names the contact' },
          ])
        const input = parseWith('consent', ConsentInput, { ...body, contactId: contact.id })
        return c.json(await t.consent.record(input))
      },
    )
    .get('/contacts/:id/cases', async (c) => {
      const t = c.get('t')
      const contact = await t.contacts.get(c.req.param('id') as ContactId)
      return c.json(await t.cases.forContact(contact.id))
    })
