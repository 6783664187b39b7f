import { cleanup } from '@testing-library/react'
import { afterEach, vi } from 'vitest'

// Testing Library unmounts after each test only when the runner has globals; this runner does not.
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})
