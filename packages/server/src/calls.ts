import { CampaignId, ContactId, DispositionInput } from '@switchboard/core'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { type Env, mayActFor, ownAgent } from './auth.js'
import type { TrackedCall } from './call-tracker.js'
import type { Deps } from './deps.js'
import { forbidden, notFoundHere } from './errors.js'
import { jsonBody } from './validate.js'

const IdentifyBody = z.strictObject({ contactId: ContactId })
const RecordingBody = z.strictObject({ on: z.boolean() })
const ClickToCallBody = z.strictObject({
  contactId: ContactId,
  campaignId: CampaignId,
  phone: z.string().min(1).max(64).optional(),
})

/**
 * The call the path names, if the principal may act on it: an unknown id (or
 * another tenant's) is 404, another agent's call 403.
 */
function callOf(d: Deps, c: Context<Env>, callId: string): TrackedCall {
  const p = c.get('principal')
  const call = d.calls.get(p.tenantId, callId)
  if (!call) throw notFoundHere('call', callId)
  if (!mayActFor(p, call.agentId)) throw forbidden(`call ${callId} is another agent's`)
  return call
}

/** The agent's calls: code, identify the caller, record; click-to-call. */
export const callRoutes = (d: Deps) =>
  new Hono<Env>()
    .post('/calls/:callId/dispose', jsonBody('disposition', DispositionInput), async (c) => {
      const call = callOf(d, c, c.req.param('callId'))
      const tenant = c.get('principal').tenantId
      const result = await d.runtime.dispose(tenant, call.agentId as never, c.req.valid('json'), {
        callId: call.callId,
      })
      d.calls.disposed(tenant, call.interactionId)
      return c.json(result)
    })
    .post('/calls/:callId/identify', jsonBody('identification', IdentifyBody), async (c) => {
      const call = callOf(d, c, c.req.param('callId'))
      const tenant = c.get('principal').tenantId
      return c.json(await d.runtime.identify(tenant, call.callId, c.req.valid('json').contactId))
    })
    .post('/calls/:callId/recording', jsonBody('recording', RecordingBody), async (c) => {
      const call = callOf(d, c, c.req.param('callId'))
      const tenant = c.get('principal').tenantId
      const { on } = c.req.valid('json')
      if (on) await d.runtime.startRecording(tenant, call.agentId as never)
      else await d.runtime.stopRecording(tenant, call.agentId as never)
      call.recording = on
      return c.json({ recording: on })
    })
    .post('/click-to-call', jsonBody('click-to-call', ClickToCallBody), async (c) => {
      const p = c.get('principal')
      const agentId = ownAgent(p)
      const body = c.req.valid('json')
      const r = await d.runtime.clickToCall(p.tenantId, {
        agentId,
        contactId: body.contactId,
        campaignId: body.campaignId,
        ...(body.phone ? { phone: body.phone } : {}),
      })
      return c.json({ interaction: r.interaction, callId: r.callId })
    })
