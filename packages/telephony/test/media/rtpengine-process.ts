import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Finds the rtpengine daemon binary (Debian package rtpengine-daemon), or undefined. */
export const rtpengineBinary = (): string | undefined => {
  const explicit = process.env.RTPENGINE_BIN
  if (explicit) return explicit
  const r = spawnSync('sh', ['-c', 'command -v rtpengine'], { encoding: 'utf8' })
  const path = r.stdout.trim()
  return r.status === 0 && path ? path : undefined
}

export interface RunningRtpengine {
  readonly ngPort: number
  readonly recordingDir: string
  readonly stderr: () => string
  stop(): Promise<void>
}

/**
 * Starts rtpengine in userspace mode on 127.0.0.1 (flags measured in MEDIA.md), with its own port range and
 * a pcap recording directory. The caller must stop it.
 */
export const startRtpengine = async (
  bin: string,
  ngPort: number,
  portMin: number,
): Promise<RunningRtpengine> => {
  const recordingDir = mkdtempSync(join(tmpdir(), 'sb-rtpengine-'))
  const child: ChildProcess = spawn(
    bin,
    [
      '--config-file=none',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      '--table=-1',
      '--foreground',
      '--log-stderr',
      `--port-min=${portMin}`,
      `--port-max=${portMin + 99}`,
      `--recording-dir=${recordingDir}`,
      '--recording-method=pcap',
      '--delete-delay=0',
      // send only where the SDP says: learning the peer from its first packets (the default) would
      // carry media to a leg whose description is wrong, and a test could pass by accident
      '--endpoint-learning=off',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString()
    if (log.length > 200_000) log = log.slice(-100_000)
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  // Never outlive the test process, whatever happens to the suite's hooks.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  return {
    ngPort,
    recordingDir,
    stderr: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 3_000)
      await exited
      clearTimeout(t)
      process.off('exit', killOnExit)
      rmSync(recordingDir, { recursive: true, force: true })
    },
  }
}
