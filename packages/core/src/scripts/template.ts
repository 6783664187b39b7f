import type { Contact } from '../domain/contact.js'
import { contactValue, type ScriptScalar } from './condition.js'
import type { ScriptNode } from './script.js'

/** One `{{...}}` of a template: what it names, or why it names nothing. */
export type TemplateRef =
  | { readonly kind: 'contact'; readonly path: string; readonly raw: string }
  | { readonly kind: 'answer'; readonly id: string; readonly raw: string }
  | { readonly kind: 'bad'; readonly raw: string }

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g
const CONTACT = /^contact\.([A-Za-z_][A-Za-z0-9_.-]*)$/
const ANSWER = /^answers\.([A-Za-z][A-Za-z0-9_-]*)$/

const refOf = (raw: string): TemplateRef => {
  const c = CONTACT.exec(raw)
  if (c) return { kind: 'contact', path: c[1]!, raw }
  const a = ANSWER.exec(raw)
  if (a) return { kind: 'answer', id: a[1]!, raw }
  return { kind: 'bad', raw }
}

/** The placeholders of a template, in order. */
export function templateRefs(template: string): TemplateRef[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => refOf(m[1]!))
}

const show = (v: unknown): string => {
  if (v === undefined || v === null) return ''
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (Array.isArray(v)) return v.map(show).join(', ')
  if (typeof v === 'object') return ''
  return String(v)
}

/**
 * A node's prompt with its placeholders filled in: `{{contact.<path>}}` from
 * the contact (money as minor units, tags joined with ", "), and
 * `{{answers.<id>}}` from the answers so far (yes/no for a boolean, a
 * choice's value). A value that is not there renders as nothing; the
 * validator makes sure an answer a prompt names has been given on every path
 * to it.
 *
 * @example
 * ```ts
 * import { renderPrompt, type Contact } from '@switchboard/core'
 * declare const ana: Contact // firstName 'Ana'
 * const node = { id: 'confirm', kind: 'end', prompt: 'Thanks {{contact.firstName}}, {{answers.plan}} it is.', outcome: {} } as const
 * console.log(renderPrompt(node, ana, { plan: 'gold' })) // Thanks Ana, gold it is.
 * ```
 */
export function renderPrompt(
  node: ScriptNode,
  contact: Contact,
  answers: Readonly<Record<string, ScriptScalar>>,
): string {
  return (node.prompt ?? '').replace(PLACEHOLDER, (_, raw: string) => {
    const ref = refOf(raw)
    if (ref.kind === 'contact') return show(contactValue(contact, ref.path))
    if (ref.kind === 'answer') return show(Object.hasOwn(answers, ref.id) ? answers[ref.id] : undefined)
    return ''
  })
}
