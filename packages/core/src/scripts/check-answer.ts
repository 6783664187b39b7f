import { unstorableText } from '../domain/text.js'
import type { ScriptScalar } from './condition.js'
import { answerRefused } from './refused.js'
import type { ScriptQuestion } from './script.js'

const DATE = /^(\d{4})-(\d\d)-(\d\d)$/

/** A calendar date that exists (no 2026-02-30). */
const isDate = (s: string) => {
  const m = DATE.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === s
}

/** The answer as the question takes it, or a `ScriptAnswerRefused` thrown naming the node and value. */
export function checkAnswer(q: ScriptQuestion, value: unknown): ScriptScalar {
  const refuse = (reason: Parameters<typeof answerRefused>[0], why: string) => {
    throw answerRefused(reason, q.id, value, why)
  }
  const a = q.answer
  switch (a.type) {
    case 'yes_no':
      if (typeof value !== 'boolean')
        refuse('wrong_type', 'is not an answer to a yes/no question: give true or false')
      return value as boolean
    case 'choice': {
      const values = a.options.map((o) => o.value)
      if (typeof value !== 'string' || !values.includes(value))
        refuse('unknown_option', `is not one of the options: ${values.join(', ')}`)
      return value as string
    }
    case 'text': {
      if (typeof value !== 'string') return refuse('wrong_type', 'is not text')
      if (!value.trim()) refuse('blank', 'is blank: give an answer')
      if (value.length > a.maxLength) refuse('too_long', `is longer than ${a.maxLength} characters`)
      const why = unstorableText(value)
      if (why) refuse('unstorable', why)
      return value
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return refuse('wrong_type', 'is not a finite number')
      if (a.integer && !Number.isInteger(value)) refuse('not_whole', 'is not a whole number')
      if ((a.min !== undefined && value < a.min) || (a.max !== undefined && value > a.max))
        refuse('out_of_range', `is outside ${a.min ?? '-∞'}..${a.max ?? '∞'}`)
      return value
    }
    case 'date':
      if (typeof value !== 'string' || !isDate(value)) refuse('bad_date', 'is not a calendar date YYYY-MM-DD')
      return value as string
  }
}
