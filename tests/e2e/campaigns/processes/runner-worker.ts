// One campaign runner process of the fault tests: its own Switchboard and
// simulated network on the shared database, on real time (shifted into the
// calling window). argv[2] is a JSON job; the process prints one JSON line
// per thing it did (which lease it got, what it dialled and when, what its
// agents coded), which the test reads.
//
// - run: tries to start the campaign every 500 ms until it owns it, then runs
//   it with agents that code every call SALE after `wrapMs`; SIGTERM closes.
// - dispose-then-die: runs the campaign; its agents code each call as
//   `codes[phone]` says; once every code has resolved the process SIGKILLs
//   itself at once.
import { createCampaignRuntime } from '@switchboard/campaigns'
import type { AgentId, CampaignId, DispositionInput } from '@switchboard/core'
import { type NumberScript, SimulatedTelephony } from '@switchboard/telephony/simulated'
import { type Database, instance, shiftedClock } from './runner-world.ts'

interface Common {
  readonly db: Database
  readonly offsetMs: number
  readonly campaignId: string
  readonly worker: string
  readonly numbers: Record<string, NumberScript>
  readonly agentIds: string[]
  readonly leaseSec?: number
  readonly tickMs?: number
}
type Job =
  | (Common & { readonly role: 'run'; readonly wrapMs: number })
  | (Common & { readonly role: 'dispose-then-die'; readonly codes: Record<string, DispositionInput> })

const job = JSON.parse(process.argv[2]!) as Job
const say = (line: object) => process.stdout.write(`${JSON.stringify({ pid: process.pid, ...line })}\n`)
const clock = shiftedClock(job.offsetMs)
const tenant = 'acme'
const campaignId = job.campaignId as CampaignId

// quick agents and answering-machine detection: a call takes about ring + talk + 0.5 s
const quick = { type: 'fixed', sec: 0.2 } as const
const tel = new SimulatedTelephony({
  seed: process.pid,
  clock,
  anyAgent: true,
  agents: Object.fromEntries(job.agentIds.map((id) => [id, { answerSec: quick }])),
  amd: { detectionSec: quick, specificity: 1 },
  numbers: job.numbers,
})
await tel.start()
// what this process dialled, and when each call ended on its network
const originate = tel.originate.bind(tel)
tel.originate = ((req: Parameters<typeof originate>[0]) => {
  if (req.role === 'customer' && req.callId && req.target.type === 'number') {
    const callId = req.callId
    say({ dial: callId, number: req.target.number, at: clock.now() })
    const off = tel.onCallEvent(callId, (ev) => {
      if (ev.type !== 'ended') return
      off()
      say({ end: callId, at: clock.now() })
    })
  }
  return originate(req)
}) as typeof tel.originate

const sb = await instance(job.db, job.offsetMs, tel)
const rt = createCampaignRuntime(sb, {
  clock,
  worker: job.worker,
  followIntervalMs: 100,
  ...(job.leaseSec ? { leaseSec: job.leaseSec } : {}),
  ...(job.tickMs ? { tickMs: job.tickMs } : {}),
})
rt.on('call.connected', (e) => say({ connected: e.callId, agentId: e.agentId, at: clock.now() }))
rt.on('runtime.error', (e) => say({ error: e.message, detail: String(e.error) }))

const phoneByCall = new Map<string, string>()
rt.on('call.offered', (pop) => {
  const p = pop.contact?.phones[0]
  if (p) phoneByCall.set(pop.callId, typeof p === 'string' ? p : (p as { e164: string }).e164)
})

if (job.role === 'run') {
  rt.on('call.ended', (e) => {
    if (!e.agentId || !e.wrapUntil) return
    setTimeout(() => {
      rt.dispose(tenant, e.agentId as AgentId, { code: 'SALE' }).then(
        () => say({ coded: e.callId, at: clock.now() }),
        (err) => say({ codeFailed: e.callId, error: String(err) }),
      )
    }, job.wrapMs)
  })
  let closing = false
  process.on('SIGTERM', () => {
    closing = true
    void (async () => {
      await rt.close()
      await tel.stop()
      await sb.close()
      say({ closed: job.worker })
      process.exit(0)
    })()
  })
  let refused = 0
  while (!closing) {
    try {
      await rt.start(tenant, campaignId)
      say({ owner: job.worker, at: clock.now() })
      break
    } catch (e) {
      if (refused++ === 0) say({ refused: job.worker, message: (e as Error).message, at: clock.now() })
      await new Promise((r) => setTimeout(r, 500))
    }
  }
} else {
  const expected = Object.keys(job.codes).length
  let done = 0
  rt.on('call.ended', (e) => {
    if (!e.agentId || !e.wrapUntil) return
    const phone = phoneByCall.get(e.callId)
    const input = phone ? job.codes[phone] : undefined
    if (!input) return
    rt.dispose(tenant, e.agentId as AgentId, input).then(
      (r) => {
        say({
          disposed: e.callId,
          phone,
          interactionId: r.interaction.id,
          lead: r.lead,
          doNotCall: r.doNotCall,
          callbackId: r.callback?.id ?? null,
          at: clock.now(),
        })
        // acknowledged: die at once, before anything else can run
        if (++done === expected) process.kill(process.pid, 'SIGKILL')
      },
      (err) => say({ codeFailed: e.callId, error: String(err) }),
    )
  })
  await rt.start(tenant, campaignId)
  say({ owner: job.worker, at: clock.now() })
}
