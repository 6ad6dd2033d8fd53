// The contract with wrapper.sh, in one place: the files the engine writes for it (spec, spec.N,
// environ) and the files it writes back (opid, wpid, cpid, exit). wrapper.sh is the other half;
// a change to either side's format is a change here and there, nowhere else.
import { closeSync, constants as fsConstants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createExclusive } from './fsafe';
import { recordExit, reserveExit } from './exitRecord';
import { assertNever, signalName, signalNumber } from './state';
import { parseExitStatus, type ExitStatus } from './exitStatus';
import { exactEnvValue, initialEnviron } from './bytes';

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

/**
 * How the job ended, and when it was recorded (epoch ms). ambiguous: the wrapper could only
 * report a status above 128 (exitStatus.ts), which is kept as that exit code, not guessed to be
 * a signal.
 */
export type ExitRecord = ({ code: number; signal: null; ambiguous?: boolean } | { code: null; signal: string }) & { at: number };

export interface JobSpec {
  /** Exact bytes (bytes.ts toBytes): none holds a NUL. */
  argv: readonly Buffer[];
  env: ReadonlyArray<readonly [string, Buffer]>;
  cwd: Buffer;
  umask: number;
  logCapBytes: number;
  /** An `env` with --default-signal (exitStatus.ts signalResettingEnv), or null: the wrapper then runs the job in the foreground. */
  signalResettingEnv: string | null;
}

/** The first line of a small file the wrapper wrote; O_NOFOLLOW: a link planted in the job dir is not read through. */
function readHead(path: string): string | null {
  let fd: number;
  try { fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW); } catch { return null; }
  try {
    const b = Buffer.alloc(64);
    const n = readSync(fd, b, 0, 64, 0);
    return b.toString('latin1', 0, n).split('\n')[0];
  } catch { return null; } finally { closeSync(fd); }
}

function readInt(path: string): number | null {
  const h = readHead(path);
  const v = h === null ? NaN : parseInt(h, 10);
  return Number.isFinite(v) ? v : null;
}

/** The exit file's line as an end: a signal this host does not name is kept as its status 128+N. */
export function decodeExitStatus(st: ExitStatus): { code: number; signal: null; ambiguous?: boolean } | { code: null; signal: string } {
  switch (st.kind) {
    case 'code': return { code: st.code, signal: null };
    case 'ambiguous': return { code: st.status, signal: null, ambiguous: true };
    case 'signal': {
      const name = signalName(st.signal);
      return name ? { code: null, signal: name } : { code: 128 + st.signal, signal: null };
    }
    default: return assertNever(st);
  }
}

export function readExit(dir: string): ExitRecord | null {
  const path = join(dir, 'exit');
  const text = readHead(path);
  const st = text === null ? null : parseExitStatus(text);
  if (!st) return null;
  let at = Date.now();
  try { at = statSync(path).mtimeMs; } catch { /* raced with removal */ }
  return { ...decodeExitStatus(st), at };
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
  recordExit(dir, `signal ${signalNumber(signal) ?? 9}`);
}

/**
 * The job's spec for the wrapper, as one file (each file costs a syscall round trip that a run
 * waits for): line 1 "argc envc umask loghalf envbin" (envbin: signalResettingEnv or '-'), then
 * one line per argv element, env entry (NAME=value) and the cwd, all as exact bytes. A value
 * without a newline and short enough to read without a fork (dash reads byte by byte) is the line
 * '=' + value; any other is the line '@' and its raw bytes in spec.N (N = the element's index in
 * that order).
 */
export function writeSpec(dir: string, spec: JobSpec): void {
  const half = Math.max(1, Math.floor(spec.logCapBytes / 2));
  const head = `${spec.argv.length} ${spec.env.length} ${spec.umask.toString(8).padStart(4, '0')} ${half} ${spec.signalResettingEnv ?? '-'}\n`;
  const parts: Buffer[] = [Buffer.from(head)];
  const AT = Buffer.from('@\n'), EQ = Buffer.from('='), NL = Buffer.from('\n');
  [...spec.argv, ...spec.env.map(([k, v]) => Buffer.concat([Buffer.from(`${k}=`), v])), spec.cwd].forEach((v, i) => {
    if (v.includes(10) || v.length > 2048) { createExclusive(join(dir, `spec.${i}`), v); parts.push(AT); } else parts.push(EQ, v, NL);
  });
  createExclusive(join(dir, 'spec'), Buffer.concat(parts));
}

const NOT_INHERITED: ReadonlySet<string> = new Set(['TMUX', 'TMUX_PANE', 'PWD', 'OLDPWD', 'SHLVL', '_']);

/**
 * Environment of the caller, as sh `export` lines with exact single-quoting, in the `environ`
 * file the wrapper sources (nothing written when there is nothing to say). tmux: all of it (its
 * server's environment is whoever started it first, not the caller of this `linger run`).
 * onlyAltered (screen, setsid): only values Node decoded with U+FFFD, written as their exact
 * bytes (bytes.ts exactEnvValue): Node hands them on to any process it spawns as that U+FFFD text.
 */
export function writeEnviron(dir: string, env: NodeJS.ProcessEnv, onlyAltered: boolean, text: Buffer | null = environText(env, onlyAltered)): void {
  if (text) createExclusive(join(dir, 'environ'), text);
}

/** The `environ` file's bytes (writeEnviron), or null when there is nothing to say. */
export function environText(env: NodeJS.ProcessEnv, onlyAltered: boolean): Buffer | null {
  let initial: Map<string, Buffer> | null = null;
  const kernelCopy = (): Map<string, Buffer> => (initial ??= initialEnviron());
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || NOT_INHERITED.has(k) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || v.includes('\0')) continue;
    if (onlyAltered && !v.includes('\uFFFD')) continue;
    // latin1: one char per byte, so quoting works on the bytes.
    const val = exactEnvValue(k, v, kernelCopy).toString('latin1');
    parts.push(Buffer.from(`export ${k}='${val.replace(/'/g, `'\\''`)}'\n`, 'latin1'));
  }
  return parts.length ? Buffer.concat(parts) : null;
}
