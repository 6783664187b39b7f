import { RecordedScriptRun, StoredScript, type TenantStore } from '@switchboard/core'
import { decoder } from './decode.js'
import { encode, iso, type StoreContext } from './shared.js'

const decodeScript = decoder('call_scripts', StoredScript)
const decodeRun = decoder('script_runs', RecordedScriptRun)

/**
 * Call scripts, a row per version (the primary key refuses a version saved
 * twice), and the runs recorded on interactions, a row each.
 */
export function scriptStore(ctx: StoreContext): TenantStore['scripts'] {
  const { db, t } = ctx
  return {
    async insert(script) {
      await db
        .insertInto('call_scripts')
        .values({
          tenant_id: t,
          script_id: script.id,
          version: script.version,
          saved_at: iso(script.savedAt),
          data: encode(script),
        })
        .execute()
    },
    async get(id, version) {
      let q = db
        .selectFrom('call_scripts')
        .select('data')
        .where('tenant_id', '=', t)
        .where('script_id', '=', id)
      q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version)
      const row = await q.executeTakeFirst()
      return row ? decodeScript(row.data) : undefined
    },
    async list() {
      const rows = await db
        .selectFrom('call_scripts as s')
        .select('s.data')
        .where('s.tenant_id', '=', t)
        .where('s.version', '=', (eb) =>
          eb
            .selectFrom('call_scripts as x')
            .select((x) => x.fn.max('x.version').as('v'))
            .whereRef('x.tenant_id', '=', 's.tenant_id')
            .whereRef('x.script_id', '=', 's.script_id'),
        )
        .orderBy('s.script_id')
        .execute()
      return rows.map((r) => decodeScript(r.data))
    },
    async recordRun(run) {
      await db
        .insertInto('script_runs')
        .values({
          tenant_id: t,
          id: run.id,
          interaction_id: run.interactionId,
          script_id: run.scriptId,
          script_version: run.scriptVersion,
          recorded_at: iso(run.recordedAt),
          data: encode(run),
        })
        .execute()
    },
    async runs(interactionId) {
      const rows = await db
        .selectFrom('script_runs')
        .select('data')
        .where('tenant_id', '=', t)
        .where('interaction_id', '=', interactionId)
        .orderBy('recorded_at')
        .orderBy('id')
        .execute()
      return rows.map((r) => decodeRun(r.data))
    },
  }
}
