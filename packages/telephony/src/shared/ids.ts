import { randomUUID } from 'node:crypto'

export const newCallId = (): string => `call-${randomUUID()}`
