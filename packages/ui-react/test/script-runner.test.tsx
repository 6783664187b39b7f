import { CallScript } from '@switchboard/core/domain'
import { render, screen } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ScriptRunner } from '../src/index.js'
import { contact } from './fixtures.js'

const script = CallScript.parse({
  id: 'renewal',
  name: 'Renewal call',
  version: 3,
  start: 'hello',
  nodes: [
    {
      id: 'hello',
      kind: 'question',
      prompt: 'Hello {{contact.firstName}}, still interested?',
      answer: { type: 'yes_no' },
      branches: [{ when: { answer: 'hello', op: 'eq', value: true }, next: 'seats' }],
      next: 'bye',
    },
    {
      id: 'seats',
      kind: 'question',
      prompt: 'How many seats?',
      answer: { type: 'number', min: 1, max: 50, integer: true },
      next: 'sold',
    },
    { id: 'sold', kind: 'end', prompt: 'Thanks, {{answers.seats}} seats.', outcome: { disposition: 'SALE' } },
    { id: 'bye', kind: 'end', outcome: { disposition: 'NO_INTEREST' } },
  ],
})

describe('ScriptRunner', () => {
  it("walks the script with core's runner: templated prompts, branches, refusals, the outcome", async () => {
    const onFinish = vi.fn()
    const user = userEvent.setup()
    render(<ScriptRunner script={script} contact={contact()} onFinish={onFinish} />)
    expect(screen.getByText('Hello Ana, still interested?')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Yes' }))
    expect(screen.getByText('How many seats?')).toBeTruthy()
    await user.type(screen.getByLabelText('Answer'), '80{Enter}')
    expect(screen.getByRole('alert').textContent).toMatch(/seats: 80 .*50/)
    expect(screen.getByText('How many seats?')).toBeTruthy()
    await user.clear(screen.getByLabelText('Answer'))
    await user.type(screen.getByLabelText('Answer'), '12{Enter}')
    expect(screen.getByText('Thanks, 12 seats.')).toBeTruthy()
    expect(screen.getByRole('status').textContent).toBe('Script finished: SALE.')
    expect(onFinish).toHaveBeenCalledTimes(1)
    expect(onFinish.mock.calls[0]![0]).toMatchObject({ endNode: 'sold', disposition: 'SALE' })
    expect(onFinish.mock.calls[0]![1]).toMatchObject({
      scriptId: 'renewal',
      scriptVersion: 3,
      path: ['hello', 'seats', 'sold'],
      answers: { hello: true, seats: 12 },
      finished: true,
    })
  })

  it('goes back to the previous question and takes another branch', async () => {
    const onFinish = vi.fn()
    const user = userEvent.setup()
    render(<ScriptRunner script={script} contact={contact()} onFinish={onFinish} />)
    await user.click(screen.getByRole('button', { name: 'Yes' }))
    await user.click(screen.getByRole('button', { name: 'Back' }))
    expect(screen.getByText('Hello Ana, still interested?')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'No' }))
    expect(screen.getByRole('status').textContent).toBe('Script finished: NO_INTEREST.')
    expect(onFinish.mock.calls[0]![1].path).toEqual(['hello', 'bye'])
  })
})
