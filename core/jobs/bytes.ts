// Values handed to a job as exact bytes. Node's strings cannot hold bytes that are not UTF-8, so
// the CLI passes those as Buffers; strings are taken as UTF-8 text, and one that has no UTF-8
// form (a lone surrogate, which Buffer.from would silently turn into U+FFFD) is refused.
import { isUtf8 } from 'node:buffer';
import { isAbsolute, resolve } from 'node:path';
import { readFileSync, readlinkSync } from 'node:fs';
import type { ArgBytes, RawBytes } from './types';
import { UserError } from './types';

const LONE_SURROGATE = /\p{Cs}/u;

/** Exact bytes of a value; `what` names it in the error ("argument 2", "--env FOO"). */
export function toBytes(v: ArgBytes, what: string): Buffer {
  if (typeof v === 'string') {
    if (LONE_SURROGATE.test(v)) throw new UserError(`${what} is not valid Unicode text (a lone surrogate has no UTF-8 bytes); refusing to alter it`);
    return Buffer.from(v, 'utf8');
  }
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new UserError(`${what} must be a string`);
}

/** How a record shows bytes: their UTF-8 text (U+FFFD where they are not UTF-8). */
export function display(b: Buffer): string { return b.toString('utf8'); }

export function validUtf8(b: Buffer): boolean { return isUtf8(b); }

/**
 * The caller's working directory as bytes: process.cwd() replaces bytes that are not UTF-8, so
 * then the kernel's /proc/self/cwd is read instead (null when that is not possible).
 */
export function cwdBytes(): Buffer | null {
  let s: string;
  try { s = process.cwd(); } catch { return null; } // removed under us
  if (!s.includes('\uFFFD')) return Buffer.from(s, 'utf8');
  try {
    const b = readlinkSync('/proc/self/cwd', { encoding: 'buffer' });
    return display(b) === s ? b : null;
  } catch { return null; }
}

/**
 * path.resolve over bytes: latin1 maps every byte to one char and back, and '/', '.' are ASCII.
 * base is asked for only when p is relative (the caller's cwd may be gone).
 */
export function resolveBytes(p: Buffer | null, baseOf: () => Buffer | null): Buffer | null {
  if (p && isAbsolute(p.toString('latin1'))) return Buffer.from(resolve(p.toString('latin1')), 'latin1');
  const base = baseOf();
  if (!base) return null;
  return Buffer.from(resolve(base.toString('latin1'), p ? p.toString('latin1') : '.'), 'latin1');
}

/** The base64 side record of whatever is not valid UTF-8, or undefined when everything is. */
export function rawBytesOf(argv: Buffer[], cwd: Buffer, env: Array<[string, Buffer]>): RawBytes | undefined {
  const out: RawBytes = {};
  if (argv.some((a) => !isUtf8(a))) out.argv = argv.map((a) => a.toString('base64'));
  if (!isUtf8(cwd)) out.cwd = cwd.toString('base64');
  for (const [k, v] of env) if (!isUtf8(v)) (out.env ??= {})[k] = v.toString('base64');
  return out.argv || out.cwd || out.env ? out : undefined;
}

/** The values to run again for a record: its recorded bytes where it has them, else its text. */
export function runValuesOf(r: { argv: string[]; cwd: string; env: Record<string, string>; rawBytes?: RawBytes }): { argv: ArgBytes[]; cwd: ArgBytes; env: Record<string, ArgBytes> } {
  const raw = r.rawBytes;
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const env: Record<string, ArgBytes> = { ...r.env };
  for (const [k, v] of Object.entries(raw?.env ?? {})) env[k] = b64(v);
  return {
    argv: raw?.argv && raw.argv.length === r.argv.length ? raw.argv.map(b64) : r.argv,
    cwd: raw?.cwd ? b64(raw.cwd) : r.cwd,
    env,
  };
}

/**
 * The environment this process started with, as the kernel holds it (/proc/self/environ): exact
 * bytes, where Node decoded values that are not UTF-8 with U+FFFD. Empty without /proc.
 */
export function initialEnviron(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  try {
    const all = readFileSync('/proc/self/environ');
    let from = 0;
    for (let i = all.indexOf(0); i >= 0; i = all.indexOf(0, from)) {
      const e = all.subarray(from, i);
      const eq = e.indexOf(0x3d);
      if (eq > 0) out.set(e.subarray(0, eq).toString('latin1'), e.subarray(eq + 1));
      from = i + 1;
    }
  } catch { /* no /proc: the text is all there is */ }
  return out;
}

/**
 * The exact bytes of an inherited environment value: Node decoded it with U+FFFD where it is not
 * UTF-8, so the kernel's copy (`initial`, read only when such a value is met) is used when it
 * decodes to the same text; otherwise the text as Node has it.
 */
export function exactEnvValue(k: string, v: string, initial: () => Map<string, Buffer>): Buffer {
  if (!v.includes('\uFFFD')) return Buffer.from(v, 'utf8');
  const raw = initial().get(k);
  return raw && raw.toString('utf8') === v ? raw : Buffer.from(v, 'utf8');
}
