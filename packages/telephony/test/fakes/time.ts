/** Waits `sec` seconds of real time (the contract harness's `advance` for backends on real time). */
export const sleepSec = (sec: number): Promise<void> => new Promise<void>((r) => setTimeout(r, sec * 1_000))
