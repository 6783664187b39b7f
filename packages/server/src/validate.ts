import { issuesFromZod, validationFailed } from '@switchboard/core'
import type { Env, Input, MiddlewareHandler } from 'hono'
import { validator } from 'hono/validator'
import type { z } from 'zod'

/** Parses with a zod schema; bad input is core's ValidationFailed naming each field and its value. */
export function parseWith<S extends z.ZodType>(entity: string, schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input)
  if (!r.success) throw validationFailed(entity, issuesFromZod(input, r.error.issues, schema as never))
  return r.data
}

/**
 * What a client may send for a schema's input: its ids as plain strings (a
 * branded id is checked here, at the boundary, not demanded of the caller).
 */
export type Loose<T> =
  T extends z.core.$brand<string>
    ? T extends string
      ? string
      : T
    : T extends Date
      ? T
      : T extends ReadonlyArray<infer E>
        ? Loose<E>[]
        : T extends object
          ? { [K in keyof T]: Loose<T[K]> }
          : T

/**
 * A JSON body validated by a zod schema. Generic in the route's env and path
 * (as @hono/zod-validator is) so the route keeps its types; the client sees
 * the schema's input (ids as plain strings) and the handler its output.
 */
export const jsonBody = <
  S extends z.ZodType,
  E extends Env = Env,
  P extends string = string,
  I extends Input = { in: { json: Loose<z.input<S>> }; out: { json: z.output<S> } },
>(
  entity: string,
  schema: S,
): MiddlewareHandler<E, P, I> =>
  validator('json', (value) => parseWith(entity, schema, value)) as unknown as MiddlewareHandler<E, P, I>

/** A query string validated by a zod schema (values are strings: coerce in the schema); the client's query type follows the output. */
export const queryOf = <
  S extends z.ZodType,
  E extends Env = Env,
  P extends string = string,
  I extends Input = {
    in: { query: Loose<{ [K in keyof z.output<S>]: z.output<S>[K] extends Date ? string : z.output<S>[K] }> }
    out: { query: z.output<S> }
  },
>(
  entity: string,
  schema: S,
): MiddlewareHandler<E, P, I> =>
  validator('query', (value) => parseWith(entity, schema, value)) as unknown as MiddlewareHandler<E, P, I>
