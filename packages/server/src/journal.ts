import type { Principal } from './auth.js'
import { isSupervisor } from './auth.js'

/** One server-sent event as kept for replay. */
export interface JournalEntry {
  readonly id: number
  readonly type: string
  /** The payload as JSON text (dates already ISO strings). */
  readonly data: string
  /** The agent the event is about, when attributable: that agent sees it too. */
  readonly agentId?: string
}

export type Listener = (entry: JournalEntry) => void

/** Who may see an entry: supervisors all of their tenant's, an agent only their own. */
export const visibleTo = (p: Principal, e: JournalEntry) =>
  isSupervisor(p) || (e.agentId !== undefined && e.agentId === p.agentId)

/**
 * One tenant's recent events, in memory: a ring of the last `keep` with
 * per-tenant increasing ids, for live subscribers and for replay after a
 * reconnect. A restart loses it (clients then get `reset` and refetch).
 */
export class TenantJournal {
  private readonly ring: JournalEntry[] = []
  private next = 1
  private readonly listeners = new Set<Listener>()

  constructor(private readonly keep: number) {}

  append(type: string, payload: unknown, agentId?: string): JournalEntry {
    const entry: JournalEntry = {
      id: this.next++,
      type,
      data: JSON.stringify(payload),
      ...(agentId ? { agentId } : {}),
    }
    this.ring.push(entry)
    if (this.ring.length > this.keep) this.ring.splice(0, this.ring.length - this.keep)
    for (const l of this.listeners) l(entry)
    return entry
  }

  /**
   * The kept entries after `lastId`, or `reset` when some of them are no
   * longer kept (or the id is from before a restart).
   */
  since(lastId: number): { reset: boolean; entries: JournalEntry[] } {
    const last = this.next - 1
    const oldest = this.ring[0]?.id ?? this.next
    if (lastId > last || lastId < oldest - 1) return { reset: true, entries: [] }
    return { reset: false, entries: this.ring.filter((e) => e.id > lastId) }
  }

  get lastId(): number {
    return this.next - 1
  }

  get subscribers(): number {
    return this.listeners.size
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/** Every tenant's journal, made on first use. */
export class Journals {
  private readonly byTenant = new Map<string, TenantJournal>()
  constructor(private readonly keep: number) {}

  of(tenantId: string): TenantJournal {
    let j = this.byTenant.get(tenantId)
    if (!j) {
      j = new TenantJournal(this.keep)
      this.byTenant.set(tenantId, j)
    }
    return j
  }

  tenants(): IterableIterator<[string, TenantJournal]> {
    return this.byTenant.entries()
  }
}
