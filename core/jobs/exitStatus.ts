// How a job ended, from the wrapper's exit file: "code N" (it exited with N), "signal N" (signal N
// killed it), or a bare number as sh reports it (written by wrappers that could not tell, and by
// wrappers from before these words): up to 128 an exit code, above it ambiguous (128+N is both
// "exit 128+N" and "killed by signal N").
import { constants as osConstants } from 'node:os';
import { readFileSync } from 'node:fs';
import { which } from './backends';

export type ExitStatus =
  | { kind: 'code'; code: number }
  | { kind: 'signal'; signal: number }
  | { kind: 'ambiguous'; status: number };

export function parseExitStatus(text: string): ExitStatus | null {
  const m = /^\s*(?:(code|signal)\s+)?(\d+)\s*$/.exec(text);
  if (!m) return null;
  const n = parseInt(m[2], 10);
  if (!Number.isFinite(n)) return null;
  if (m[1] === 'code') return { kind: 'code', code: n };
  if (m[1] === 'signal') return { kind: 'signal', signal: n };
  return n > 128 && n < 128 + 65 ? { kind: 'ambiguous', status: n } : { kind: 'code', code: n };
}

/** What `linger kill` writes for a wrapper it had to SIGKILL. */
export function signalLine(signal: string): string {
  return `signal ${(osConstants.signals as Record<string, number>)[signal] ?? 9}`;
}

export function signalName(n: number): string | null {
  const sigs = osConstants.signals as Record<string, number>;
  return Object.keys(sigs).find((k) => sigs[k] === n) ?? null;
}

let envCache: { path: string | null; key: string } | null = null;

/**
 * An `env` that can reset signal dispositions at exec (coreutils >= 8.31: --default-signal), or
 * null. The wrapper needs it to run the job asynchronously (see wrapper.sh _lg_run_async).
 * Known from the binary's text rather than by running it: a start must not pay a process for
 * this. The path must survive the spec's space-separated first line.
 */
export function signalResettingEnv(): string | null {
  const path = which('env');
  const key = path ?? '';
  if (envCache && envCache.key === key) return envCache.path;
  let ok = false;
  if (path && !/\s/.test(path)) {
    try { ok = readFileSync(path).includes('default-signal'); } catch { ok = false; }
  }
  envCache = { path: ok ? path : null, key };
  return envCache.path;
}
