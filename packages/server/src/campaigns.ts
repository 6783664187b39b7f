import type { CampaignRunStatus } from '@switchboard/campaigns'
import { CallbackStatus, type CampaignId, CampaignId as CampaignIdSchema, ContactId } from '@switchboard/core'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { type Env, supervisorOnly } from './auth.js'
import type { Deps } from './deps.js'
import { abandonmentOf } from './pacing.js'
import { queryOf } from './validate.js'

const CallbackQuery = z.strictObject({
  contactId: ContactId.optional(),
  campaignId: CampaignIdSchema.optional(),
  status: CallbackStatus.optional(),
})

type Control = 'start' | 'pause' | 'resume' | 'stop'

/** Runs the control on the runtime after checking the campaign is this tenant's (404 otherwise). */
async function control(d: Deps, c: Context<Env>, what: Control): Promise<CampaignRunStatus | null> {
  const t = c.get('t')
  const campaign = await t.campaigns.get(c.req.param('id') as CampaignId)
  const id = campaign.id as CampaignId
  if (what === 'stop') {
    await d.runtime.stop(t.tenantId, id)
    return d.runtime.status(t.tenantId, id) ?? null
  }
  return d.runtime[what](t.tenantId, id)
}

/** Campaigns, their codes and callbacks; supervisors run them. */
export const campaignRoutes = (d: Deps) =>
  new Hono<Env>()
    .get('/campaigns', async (c) => c.json(await c.get('t').campaigns.list({ limit: 1000 })))
    .get('/campaigns/:id', async (c) =>
      c.json(await c.get('t').campaigns.get(c.req.param('id') as CampaignId)),
    )
    .get('/campaigns/:id/dispositions', async (c) =>
      c.json(await c.get('t').dispositions.forCampaign(c.req.param('id') as CampaignId)),
    )
    .get('/callbacks', queryOf('callback list', CallbackQuery), async (c) => {
      const q = c.req.valid('query')
      return c.json(
        await c.get('t').callbacks.list({
          ...(q.contactId ? { contactId: q.contactId } : {}),
          ...(q.campaignId ? { campaignId: q.campaignId } : {}),
          ...(q.status ? { status: [q.status] } : {}),
        }),
      )
    })
    .post('/campaigns/:id/start', supervisorOnly, async (c) => c.json(await control(d, c, 'start')))
    .post('/campaigns/:id/pause', supervisorOnly, async (c) => c.json(await control(d, c, 'pause')))
    .post('/campaigns/:id/resume', supervisorOnly, async (c) => c.json(await control(d, c, 'resume')))
    .post('/campaigns/:id/stop', supervisorOnly, async (c) => c.json(await control(d, c, 'stop')))
    .get('/campaigns/:id/status', supervisorOnly, async (c) => {
      const t = c.get('t')
      const campaign = await t.campaigns.get(c.req.param('id') as CampaignId)
      const status = d.runtime.status(t.tenantId, campaign.id as CampaignId)
      return c.json(status ? { ...status, abandonment: abandonmentOf(status, campaign) } : null)
    })
