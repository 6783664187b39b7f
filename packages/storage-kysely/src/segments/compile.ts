import {
  type PluginSegmentField,
  type SegmentCondition,
  type SegmentFilter,
  type SegmentScalar,
  type SegmentScope,
  validationFailed,
} from '@switchboard/core'
import { type RawBuilder, type SqlBool, sql } from 'kysely'

/**
 * The segment language compiled to one SQL boolean expression over the
 * contact row `c` (table `contacts`), for SQLite (JSON1) and PostgreSQL
 * (jsonb), to be used in a WHERE clause. A condition under a `not` is wrapped
 * in `coalesce(..., false)`, so a missing value is false and its `not` true,
 * as in the language's definition: no three-valued logic leaks out.
 * `compileConditions` (for `explain`) wraps every condition, as values.
 *
 * Written by hand over kysely's `sql` (not the query builder): the language
 * needs correlated subqueries and JSON paths the builder has no words for.
 */
export interface SegmentDialect {
  /** 'jsonb': PostgreSQL; 'text': SQLite's JSON1 over text. */
  readonly json: 'jsonb' | 'text'
}

type Expr = RawBuilder<unknown>

const DAY_MS = 86_400_000
const OPEN_CASE_STATUSES = ['open', 'pending']

/** Columns of `contacts` that hold a field as it is (indexed, no JSON extraction). */
const COLUMNS: Readonly<Record<string, string>> = {
  displayName: 'display_name',
  externalRef: 'external_ref',
  lifecycle: 'lifecycle',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
}

/** JSON paths into `contacts.data` of the built-in scalar fields. */
const PATHS: Readonly<Record<string, ReadonlyArray<string>>> = {
  kind: ['kind'],
  firstName: ['firstName'],
  lastName: ['lastName'],
  company: ['company'],
  account: ['account'],
  ownerId: ['ownerId'],
  country: ['address', 'country'],
  timeZone: ['timeZone'],
  openBalance: ['openBalance', 'amountMinor'],
  lifetimeValue: ['lifetimeValue', 'amountMinor'],
}

const NUMERIC_PATHS = new Set(['openBalance', 'lifetimeValue'])

export function compileSegment(
  filter: SegmentFilter,
  scope: SegmentScope,
  dialect: SegmentDialect,
): RawBuilder<SqlBool> {
  return new Compiler(scope, dialect).node(filter)
}

/** Each condition on its own (depth-first order), for `explain`. */
export function compileConditions(
  conditions: ReadonlyArray<SegmentCondition>,
  scope: SegmentScope,
  dialect: SegmentDialect,
): RawBuilder<SqlBool>[] {
  const c = new Compiler(scope, dialect)
  return conditions.map((x) => c.condition(x))
}

class Compiler {
  private readonly pg: boolean
  private readonly falsy: Expr
  constructor(
    private readonly scope: SegmentScope,
    dialect: SegmentDialect,
  ) {
    this.pg = dialect.json === 'jsonb'
    this.falsy = this.pg ? sql`false` : sql`0`
  }

  /**
   * In a WHERE clause a null drops the row just as false does, through `and`
   * and `or`; only under a `not` must a missing value become false first.
   * So conditions outside any `not` stay bare, which keeps the planner's row
   * estimates (and any index on the column) usable.
   */
  node(f: SegmentFilter, negated = false): RawBuilder<SqlBool> {
    if ('and' in f)
      return sql<SqlBool>`(${sql.join(
        f.and.map((x) => this.node(x, negated)),
        sql` and `,
      )})`
    if ('or' in f)
      return sql<SqlBool>`(${sql.join(
        f.or.map((x) => this.node(x, negated)),
        sql` or `,
      )})`
    if ('not' in f) return sql<SqlBool>`(not ${this.node(f.not, true)})`
    return negated ? this.condition(f) : sql<SqlBool>`(${this.test(f)})`
  }

  condition(c: SegmentCondition): RawBuilder<SqlBool> {
    return sql<SqlBool>`coalesce(${this.test(c)}, ${this.falsy})`
  }

  private bind(v: SegmentScalar): Expr {
    // better-sqlite3 binds no booleans: JSON1 reads true/false as 1/0.
    if (typeof v === 'boolean' && !this.pg) return sql.lit(v ? 1 : 0)
    return sql.val(v)
  }

  /** `x <op> values`, for a scalar expression x (null when missing). */
  private compare(x: Expr, c: SegmentCondition, kind: 'string' | 'number' | 'boolean'): Expr {
    const ordered = kind === 'string' && this.pg ? sql`${x} collate "C"` : x
    const v = (s: SegmentScalar) => this.bind(s)
    switch (c.op) {
      case 'eq':
        return sql`${x} = ${v(c.value!)}`
      case 'ne':
        return sql`${x} <> ${v(c.value!)}`
      case 'lt':
        return sql`${ordered} < ${v(c.value!)}`
      case 'lte':
        return sql`${ordered} <= ${v(c.value!)}`
      case 'gt':
        return sql`${ordered} > ${v(c.value!)}`
      case 'gte':
        return sql`${ordered} >= ${v(c.value!)}`
      case 'between':
        return sql`${ordered} between ${v(c.min!)} and ${v(c.max!)}`
      case 'in':
        return sql`${x} in (${sql.join((c.values ?? []).map(v))})`
      case 'exists':
        return sql`${x} is not null`
      case 'prefix':
        return this.pg
          ? sql`left(${x}, ${sql.lit(String(c.value).length)}) = ${v(c.value!)}`
          : sql`substr(${x}, 1, length(${v(c.value!)})) = ${v(c.value!)}`
    }
  }

  private test(c: SegmentCondition): Expr {
    const f = c.field
    if (f in COLUMNS) {
      const col = sql.ref(`c.${COLUMNS[f]}`)
      if (f === 'createdAt' || f === 'updatedAt') return this.compare(col, isoValues(c), 'string')
      return this.compare(col, c, 'string')
    }
    if (f in PATHS) {
      const numeric = NUMERIC_PATHS.has(f)
      return this.compare(
        this.jsonScalar(PATHS[f]!, numeric ? 'number' : 'string'),
        c,
        numeric ? 'number' : 'string',
      )
    }
    if (f.startsWith('attributes.')) return this.attribute(f.slice('attributes.'.length), c)
    switch (f) {
      case 'tags':
        return this.tags(c)
      case 'consent':
        return this.compare(this.consent(c), c, 'string')
      case 'doNotCall':
        return this.doNotCall(c)
      case 'interactions.count':
        return this.compare(
          sql`(select count(*) from interactions i where ${this.interactionScope(c)})`,
          c,
          'number',
        )
      case 'interactions.lastChannel':
        return this.compare(this.newest(sql`i.channel`, c), c, 'string')
      case 'interactions.lastDisposition':
        return this.compare(this.newest(sql`i.disposition`, c), c, 'string')
      case 'interactions.lastDispositionCategory':
        return this.compare(this.category(this.newest(sql`i.disposition`, c)), c, 'string')
      case 'interactions.daysSinceLast':
        return this.daysSince(c)
      case 'cases.open':
        return this.compare(
          sql`(select count(*) from cases k where k.tenant_id = c.tenant_id and k.contact_id = c.id and k.status in (${sql.join(OPEN_CASE_STATUSES)}))`,
          c,
          'number',
        )
    }
    const plugin = this.scope.fields.get(f)
    if (plugin) return this.compare(pluginValue(plugin), c, plugin.type)
    throw validationFailed('segment', [
      { field: 'filter.field', value: f, message: 'is not a field of this instance (no plugin declares it)' },
    ])
  }

  /** `c.data` at a path: the JSON node (PostgreSQL) and its SQLite path text. */
  private jsonNode(path: ReadonlyArray<string>): Expr {
    return sql.join([sql`c.data`, ...path.map((k) => sql.lit(k))], sql` -> `)
  }

  /** A scalar at a JSON path of `c.data`, null when absent (or, when `typed`, of another type). */
  private jsonScalar(
    path: ReadonlyArray<string>,
    kind: 'string' | 'number' | 'boolean',
    typed = false,
  ): Expr {
    if (this.pg) {
      const parent = this.jsonNode(path.slice(0, -1))
      const text = sql`(${parent} ->> ${sql.lit(path[path.length - 1]!)})`
      const cast =
        kind === 'number' ? sql`${text}::numeric` : kind === 'boolean' ? sql`${text}::boolean` : text
      if (!typed) return cast
      const want = kind === 'string' ? 'string' : kind
      return sql`(case when jsonb_typeof(${this.jsonNode(path)}) = ${sql.lit(want)} then ${cast} end)`
    }
    const p = sqlitePath(path)
    if (!typed) return sql`json_extract(c.data, ${p})`
    const types =
      kind === 'number'
        ? sql`('integer', 'real')`
        : kind === 'boolean'
          ? sql`('true', 'false')`
          : sql`('text')`
    return sql`(case when json_type(c.data, ${p}) in ${types} then json_extract(c.data, ${p}) end)`
  }

  private attribute(name: string, c: SegmentCondition): Expr {
    const path = ['attributes', name]
    if (c.op === 'exists') {
      return this.pg
        ? sql`jsonb_typeof(${this.jsonNode(path)}) <> 'null'`
        : sql`json_type(c.data, ${sqlitePath(path)}) <> 'null'`
    }
    const first = c.op === 'in' ? c.values?.[0] : c.op === 'between' ? c.min : c.value
    const kind = typeof first as 'string' | 'number' | 'boolean'
    return this.compare(this.jsonScalar(path, kind, true), c, kind)
  }

  private tags(c: SegmentCondition): Expr {
    const elements = this.pg
      ? sql`jsonb_array_elements_text(c.data -> 'tags') as t(value)`
      : sql`json_each(c.data, '$.tags') as t`
    const some = (where: Expr) => sql`exists (select 1 from ${elements} where ${where})`
    const v = (s: SegmentScalar) => sql.val(s)
    switch (c.op) {
      case 'eq':
        return some(sql`t.value = ${v(c.value!)}`)
      case 'ne':
        return sql`not ${some(sql`t.value = ${v(c.value!)}`)}`
      case 'in':
        return some(sql`t.value in (${sql.join((c.values ?? []).map(v))})`)
      case 'exists':
        return this.pg
          ? sql`jsonb_array_length(c.data -> 'tags') > 0`
          : sql`json_array_length(c.data, '$.tags') > 0`
      case 'prefix':
        return some(
          this.pg
            ? sql`left(t.value, ${sql.lit(String(c.value).length)}) = ${v(c.value!)}`
            : sql`substr(t.value, 1, length(${v(c.value!)})) = ${v(c.value!)}`,
        )
      default:
        throw validationFailed('segment', [
          { field: 'filter.op', value: c.op, message: 'tags take eq, ne, in, exists, prefix' },
        ])
    }
  }

  private jsonText(alias: string, key: string): Expr {
    return this.pg
      ? sql`(${sql.ref(`${alias}.data`)} ->> ${sql.lit(key)})`
      : sql`json_extract(${sql.ref(`${alias}.data`)}, ${sql.lit(`$.${key}`)})`
  }

  /** The current consent status for (channel, purpose): the latest record (a "*" one counts), unknown when expired or none. */
  private consent(c: SegmentCondition): Expr {
    const now = sql.val(this.scope.now.toISOString())
    const expires = this.jsonText('r', 'expiresAt')
    return sql`coalesce((select case when ${expires} is not null and ${expires} <= ${now} then 'unknown' else r.status end
      from consent_records r
      where r.tenant_id = c.tenant_id and r.contact_id = c.id and r.channel = ${sql.val(c.channel!)}
        and r.purpose in (${sql.val(c.purpose!.toLowerCase())}, '*')
      order by r.captured_at desc, r.id desc limit 1), 'unknown')`
  }

  private doNotCall(c: SegmentCondition): Expr {
    const now = sql.val(this.scope.now.toISOString())
    const expires = this.jsonText('d', 'expiresAt')
    const listed = sql`exists (select 1 from contact_phones p
      join dnc_entries d on d.tenant_id = p.tenant_id and d.phone = p.e164
      where p.tenant_id = c.tenant_id and p.contact_id = c.id and (${expires} is null or ${expires} > ${now}))`
    const want = c.op === 'eq' ? c.value === true : c.value !== true
    return want ? listed : sql`not ${listed}`
  }

  private interactionScope(c: SegmentCondition): Expr {
    const parts: Expr[] = [sql`i.tenant_id = c.tenant_id`, sql`i.contact_id = c.id`]
    if (c.withinDays !== undefined)
      parts.push(
        sql`i.started_at >= ${sql.val(new Date(this.scope.now.getTime() - c.withinDays * DAY_MS).toISOString())}`,
      )
    if (c.channel) parts.push(sql`i.channel = ${sql.val(c.channel)}`)
    if (c.direction) parts.push(sql`i.direction = ${sql.val(c.direction)}`)
    return sql.join(parts, sql` and `)
  }

  private newest(column: Expr, c: SegmentCondition): Expr {
    return sql`(select ${column} from interactions i where ${this.interactionScope(c)} order by i.started_at desc, i.id desc limit 1)`
  }

  private category(code: Expr): Expr {
    const known = [...this.scope.dispositionCategories]
    if (!known.length) return sql`null`
    return sql`(case ${code} ${sql.join(
      known.map(([k, v]) => sql`when ${sql.val(k)} then ${sql.val(v)}`),
      sql` `,
    )} end)`
  }

  /** Days since the newest interaction, compared as the instant `now - N days` (no date arithmetic in SQL). */
  private daysSince(c: SegmentCondition): Expr {
    const last = sql`(select max(i.started_at) from interactions i where ${this.interactionScope(c)})`
    const at = (days: SegmentScalar) =>
      sql.val(new Date(this.scope.now.getTime() - Number(days) * DAY_MS).toISOString())
    switch (c.op) {
      case 'gt':
        return sql`${last} < ${at(c.value!)}`
      case 'gte':
        return sql`${last} <= ${at(c.value!)}`
      case 'lt':
        return sql`${last} > ${at(c.value!)}`
      case 'lte':
        return sql`${last} >= ${at(c.value!)}`
      case 'between':
        return sql`${last} between ${at(c.max!)} and ${at(c.min!)}`
      case 'exists':
        return sql`${last} is not null`
      default:
        throw validationFailed('segment', [
          {
            field: 'filter.op',
            value: c.op,
            message: 'interactions.daysSinceLast takes lt, lte, gt, gte, between, exists',
          },
        ])
    }
  }
}

/** A JSON1 path with every key quoted (`$."attributes"."a.b"`); keys are validated names, never quotes. */
const sqlitePath = (path: ReadonlyArray<string>) => sql.lit(`$.${path.map((k) => `"${k}"`).join('.')}`)

/** A plugin field: its column in the plugin's table, for this contact. */
function pluginValue(f: PluginSegmentField): Expr {
  return sql`(select ${sql.ref(`p.${f.column}`)} from ${sql.table(f.table)} as p
    where p.tenant_id = c.tenant_id and ${sql.ref(`p.${f.contactColumn ?? 'contact_id'}`)} = c.id)`
}

/** Dates compared as the ISO text the rows hold. */
function isoValues(c: SegmentCondition): SegmentCondition {
  const iso = (v: SegmentScalar | undefined) =>
    v === undefined ? undefined : new Date(String(v)).toISOString()
  return {
    ...c,
    ...(c.value !== undefined ? { value: iso(c.value)! } : {}),
    ...(c.min !== undefined ? { min: iso(c.min)!, max: iso(c.max)! } : {}),
    ...(c.values ? { values: c.values.map((v) => iso(v)!) } : {}),
  }
}
