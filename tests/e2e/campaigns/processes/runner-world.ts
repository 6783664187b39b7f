// What the campaign runner processes of the fault tests share: the one
// database, a real-time clock shifted into the test's calling window (every
// process gets the same offset, so their timestamps agree), and the tenant
// they all work on (agents logged in, contacts on a campaign's list).
import {
  type Agent,
  type Campaign,
  type Contact,
  createSwitchboard,
  type StorageBackend,
  type Switchboard,
  type TelephonyBackend,
} from '@switchboard/core'
import { postgresStorage } from '@switchboard/storage-postgres'
import { sqliteStorage } from '@switchboard/storage-sqlite'

export type Database = { kind: 'postgres'; url: string; schema: string } | { kind: 'sqlite'; file: string }

export const openDb = (db: Database): StorageBackend =>
  db.kind === 'postgres'
    ? postgresStorage({ connectionString: db.url, schema: db.schema, poolSize: 4 })
    : sqliteStorage({ file: db.file })

/** Real time plus `offsetMs`: timers run in real time, `now()` reads inside the calling window. */
export function shiftedClock(offsetMs: number) {
  const timers = new Map<number, ReturnType<typeof setTimeout>>()
  let next = 1
  return {
    now: () => Date.now() + offsetMs,
    setTimeout(fn: () => void, ms: number) {
      const id = next++
      timers.set(
        id,
        setTimeout(
          () => {
            timers.delete(id)
            fn()
          },
          Math.max(0, ms),
        ),
      )
      return { id }
    },
    clearTimeout(handle: unknown) {
      const id = (handle as { id?: number } | undefined)?.id
      if (id === undefined) return
      const t = timers.get(id)
      if (t !== undefined) clearTimeout(t)
      timers.delete(id)
    },
  }
}

export const phoneOf = (i: number) => `+1212555${String(2000 + i).padStart(4, '0')}`

export const instance = (
  db: Database,
  offsetMs: number,
  telephony?: TelephonyBackend,
): Promise<Switchboard> =>
  createSwitchboard({
    storage: openDb(db),
    clock: shiftedClock(offsetMs),
    outbox: false,
    ...(telephony ? { telephony } : {}),
  })

/** The tenant every process works on: agents logged in to a progressive campaign with `contacts` on its list. */
export async function setUp(
  db: Database,
  offsetMs: number,
  o: { readonly agents: number; readonly contacts: number },
): Promise<{ campaign: Campaign; agents: Agent[]; contacts: Contact[] }> {
  const sb = await instance(db, offsetMs)
  const t = sb.tenant('acme')
  await t.dispositions.define({ code: 'SALE', label: 'Sale', category: 'sale' })
  await t.dispositions.define({ code: 'DNC', label: 'Do not call', category: 'do_not_call' })
  await t.dispositions.define({ code: 'CALL_BACK', label: 'Call back', category: 'callback' })
  const agents: Agent[] = []
  for (let i = 0; i < o.agents; i++) agents.push(await t.agents.create({ name: `Agent ${i}` }))
  const contacts: Contact[] = []
  for (let i = 0; i < o.contacts; i++)
    contacts.push(
      await t.contacts.create({
        firstName: `Lead${i}`,
        lastName: 'Test',
        phones: [phoneOf(i)],
        timeZone: 'America/New_York',
      }),
    )
  const campaign = await t.campaigns.create({
    name: 'Renewals',
    kind: 'telemarketing',
    dialMode: { mode: 'progressive' },
    regime: 'US',
    consentPurpose: 'marketing',
    abandonMessage: 'abandoned.wav',
  })
  await t.lists.enqueue(
    campaign.id,
    contacts.map((c) => c.id),
  )
  for (const a of agents) await t.sessions.login(a.id, { campaignIds: [campaign.id] })
  await sb.close()
  return { campaign, agents, contacts }
}
