// Command-line parsing for `linger VERB ...`: small, strict, no dependencies.
import { UserError } from '../core/jobs/types';

export type FlagKind = 'bool' | 'string' | 'multi';
export interface FlagSpec { kind: FlagKind; short?: string }
export interface VerbSpec {
  flags: Record<string, FlagSpec>;
  /** Positionals: after the first one everything is positional (for `run CMD ARGS...`). */
  restAfterFirst?: boolean;
}

export interface Parsed {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** True when `--` was given (everything after it is positional). */
  dashdash: boolean;
  /** With raw argv given: the exact bytes of each positional and of each string/multi flag value. */
  raw?: { positionals: Buffer[]; flags: Record<string, Buffer[]> };
}

/**
 * raw: the exact bytes of each argv element (see rawArgv.ts), when some are not UTF-8; the
 * result then carries the bytes of every value beside its text.
 */
export function parseArgs(verb: string, argv: string[], spec: VerbSpec, rawArgv?: Buffer[] | null): Parsed {
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  const raw = rawArgv ? { positionals: [] as Buffer[], flags: {} as Record<string, Buffer[]> } : undefined;
  // A flag's text before its value is ASCII (known flag names), so char offset = byte offset.
  const rawAt = (idx: number, offset: number): Buffer => rawArgv![idx].subarray(offset);
  const byShort = new Map<string, string>();
  for (const [name, f] of Object.entries(spec.flags)) if (f.short) byShort.set(f.short, name);
  let dashdash = false;
  let i = 0;
  const take = (name: string, inline: string | undefined, inlineAt: number): string => {
    if (inline !== undefined) { if (raw) (raw.flags[name] ??= []).push(rawAt(i, inlineAt)); return inline; }
    if (i + 1 >= argv.length) throw new UserError(`${verb}: option --${name} needs a value`);
    if (raw) (raw.flags[name] ??= []).push(rawAt(i + 1, 0));
    return argv[++i];
  };
  const set = (name: string, inline: string | undefined, inlineAt = 0) => {
    const f = spec.flags[name];
    if (!f) throw new UserError(`${verb}: unknown option --${name} (see: linger ${verb} --help)`);
    if (f.kind === 'bool') {
      if (inline !== undefined) throw new UserError(`${verb}: option --${name} takes no value`);
      flags[name] = true;
    } else if (f.kind === 'string') { if (raw) raw.flags[name] = []; flags[name] = take(name, inline, inlineAt); }
    else { const v = take(name, inline, inlineAt); flags[name] = [...((flags[name] as string[] | undefined) ?? []), v]; }
  };
  const rest = (from: number) => { positionals.push(...argv.slice(from)); raw?.positionals.push(...rawArgv!.slice(from)); };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { dashdash = true; rest(i + 1); break; }
    if (spec.restAfterFirst && positionals.length) { rest(i); break; }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      set(eq > 0 ? a.slice(2, eq) : a.slice(2), eq > 0 ? a.slice(eq + 1) : undefined, eq + 1);
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      // -f, -h, or bundled bools like -fq; -n5 gives a value to a short string flag.
      for (let k = 1; k < a.length; k++) {
        const name = byShort.get(a[k]);
        if (!name) throw new UserError(`${verb}: unknown option -${a[k]} (see: linger ${verb} --help)`);
        if (spec.flags[name].kind === 'bool') { flags[name] = true; continue; }
        set(name, k + 1 < a.length ? a.slice(k + 1) : undefined, k + 1);
        break;
      }
    } else { positionals.push(a); raw?.positionals.push(rawArgv![i]); }
  }
  return raw ? { flags, positionals, dashdash, raw } : { flags, positionals, dashdash };
}

/** Seconds (may be fractional) → milliseconds; user error when not a non-negative number. */
export function seconds(verb: string, flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new UserError(`${verb}: --${flag} wants seconds, got '${v}'`);
  return Math.round(parseFloat(v) * 1000);
}

/** --env K=V values; with their raw bytes, each value is its exact bytes (K is checked as a name, so ASCII). */
export function envPairs(list: string[] | undefined, rawList?: Buffer[]): Record<string, string | Buffer> {
  const env: Record<string, string | Buffer> = {};
  (list ?? []).forEach((kv, n) => {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UserError(`run: --env wants K=V, got '${kv}'`);
    const rawKv = rawList?.[n];
    env[kv.slice(0, eq)] = rawKv ? rawKv.subarray(rawKv.indexOf(0x3d) + 1) : kv.slice(eq + 1);
  });
  return env;
}
