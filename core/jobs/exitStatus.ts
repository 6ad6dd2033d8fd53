// How a job ended, from the wrapper's exit file: "code N" (it exited with N), "signal N" (signal N
// killed it), or a bare number as sh reports it (written by wrappers that could not tell, and by
// wrappers from before these words): up to 128 an exit code, above it ambiguous (128+N is both
// "exit 128+N" and "killed by signal N").
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

/** What the caller keeps between starts (the Engine holds one): the last `env` looked at and its verdict. */
export interface EnvProbeMemo { key?: string; path?: string | null }

/**
 * An `env` that can reset signal dispositions at exec (coreutils >= 8.31: --default-signal), or
 * null. The wrapper needs it to run the job asynchronously (see wrapper.sh _lg_run_async).
 * Known from the binary's text rather than by running it: a start must not pay a process for
 * this. The path must survive the spec's space-separated first line.
 */
export function signalResettingEnv(memo: EnvProbeMemo = {}): string | null {
  const path = which('env');
  const key = path ?? '';
  if (memo.key === key && memo.path !== undefined) return memo.path;
  let ok = false;
  if (path && !/\s/.test(path)) {
    try { ok = readFileSync(path).includes('default-signal'); } catch { ok = false; }
  }
  memo.key = key;
  memo.path = ok ? path : null;
  return memo.path;
}
