// The contract with wrapper.sh, in one place: the files the engine writes for it (spec, spec.N,
// environ) and the files it writes back (opid, wpid, cpid, exit). wrapper.sh is the other half;
// a change to either side's format is a change here and there, nowhere else.
import { closeSync, constants as fsConstants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createExclusive } from './fsafe';
import { recordExit, reserveExit } from './exitRecord';
import { signalName, signalNumber } from './state';

export { reserveExit };

/** What the wrapper has reported so far; null = not (yet) written. */
export interface WrapperFiles {
  /** The job dir they were read from. */
  dir: string;
  /** The wrapper's pid: the job's session and process group leader. */
  wpid: number | null;
  /** The job's own process (the wrapper's forked child, just before exec). */
  cpid: number | null;
  /** setsid only: the outer wrapper, whose pid is the job's outer session. */
  opid: number | null;
  /** How the job ended, and when it was recorded (epoch ms). */
  exit: ExitRecord | null;
}

export type ExitRecord = ({ code: number; signal: null } | { code: null; signal: string }) & { at: number };

export interface JobSpec {
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
  umask: number;
  logCapBytes: number;
}

function readInt(path: string): number | null {
  // O_NOFOLLOW: a link planted in the job dir is not read through.
  let fd: number;
  try { fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW); } catch { return null; }
  try {
    const b = Buffer.alloc(64);
    const n = readSync(fd, b, 0, 64, 0);
    const v = parseInt(b.toString('latin1', 0, n), 10);
    return Number.isFinite(v) ? v : null;
  } catch { return null; } finally { closeSync(fd); }
}

/** How an exit status as sh reports it reads: 128+N is signal N (sh cannot tell a program's own 128+N apart). */
export function decodeExitStatus(status: number): { code: number; signal: null } | { code: null; signal: string } {
  const sig = status > 128 && status < 128 + 65 ? signalName(status - 128) : null;
  return sig ? { code: null, signal: sig } : { code: status, signal: null };
}

export function readExit(dir: string): ExitRecord | null {
  const path = join(dir, 'exit');
  const status = readInt(path);
  if (status === null) return null;
  let at = Date.now();
  try { at = statSync(path).mtimeMs; } catch { /* raced with removal */ }
  return { ...decodeExitStatus(status), at };
}

export function hasExit(dir: string): boolean { return existsSync(join(dir, 'exit')); }

/**
 * Reads what the wrapper wrote. `skip` leaves out pid files the caller does not need (each read
 * is a syscall round trip, and a listing refreshes every running job); they read as null.
 */
export function readWrapperFiles(dir: string, skip: { cpid?: boolean; wpid?: boolean; opid?: boolean } = {}): WrapperFiles {
  return {
    dir,
    cpid: skip.cpid ? null : readInt(join(dir, 'cpid')),
    wpid: skip.wpid ? null : readInt(join(dir, 'wpid')),
    opid: skip.opid ? null : readInt(join(dir, 'opid')),
    exit: readExit(dir),
  };
}


/** Records an end the wrapper could not record itself (it was SIGKILLed), in its own format (through the exit reserve). */
export function recordSignalExit(dir: string, signal: string): void {
  recordExit(dir, `${128 + (signalNumber(signal) ?? 9)}`);
}

/**
 * The job's spec for the wrapper, as one file (each file costs a syscall round trip that a run
 * waits for): line 1 "argc envc umask loghalf", then one line per argv element, env entry
 * (NAME=value) and the cwd. A value without a newline and short enough to read without a fork
 * (dash reads byte by byte) is the line '=' + value; any other is the line '@' and its raw bytes in
 * spec.N (N = the element's index in that order).
 */
export function writeSpec(dir: string, spec: JobSpec): void {
  const env = Object.entries(spec.env);
  const half = Math.max(1, Math.floor(spec.logCapBytes / 2));
  let body = `${spec.argv.length} ${env.length} ${spec.umask.toString(8).padStart(4, '0')} ${half}\n`;
  [...spec.argv, ...env.map(([k, v]) => `${k}=${v}`), spec.cwd].forEach((v, i) => {
    if (v.includes('\n') || v.length > 2048) { createExclusive(join(dir, `spec.${i}`), v); body += '@\n'; } else body += `=${v}\n`;
  });
  createExclusive(join(dir, 'spec'), body);
}

const NOT_INHERITED: ReadonlySet<string> = new Set(['TMUX', 'TMUX_PANE', 'PWD', 'OLDPWD', 'SHLVL', '_']);

/** Environment of the caller, as sh `export` lines with exact single-quoting (tmux only: its
 * server's environment is whoever started it first, not the caller of this `linger run`). */
export function writeEnviron(dir: string, env: NodeJS.ProcessEnv): void {
  let out = '';
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || NOT_INHERITED.has(k) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || v.includes('\0')) continue;
    out += `export ${k}='${v.replace(/'/g, `'\\''`)}'\n`;
  }
  createExclusive(join(dir, 'environ'), out);
}
