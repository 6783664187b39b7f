import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerWorld, serverWorld } from '../../server/test/world.js'
import { createSwitchboardClient, SwitchboardHttpError } from '../src/index.js'

describe('client smoke over HTTP', () => {
  let w: ServerWorld
  let baseUrl: string
  beforeAll(async () => {
    w = await serverWorld({ backend: 'sqlite' })
    baseUrl = await w.listen()
  })
  afterAll(() => w?.close())

  it('reads /api/me with inferred types and throws SwitchboardHttpError on 401', async () => {
    const client = createSwitchboardClient({ baseUrl, headers: () => ({ authorization: 'Bearer agentA0' }) })
    const me = await client.me()
    expect(me.agentId).toBe(w.a.agents[0]!.id)
    const anon = createSwitchboardClient({ baseUrl })
    const e = await anon.me().catch((x: unknown) => x)
    expect(e).toBeInstanceOf(SwitchboardHttpError)
    expect((e as SwitchboardHttpError).status).toBe(401)
  })
})
