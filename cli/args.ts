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
}

export function parseArgs(verb: string, argv: string[], spec: VerbSpec): Parsed {
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, f] of Object.entries(spec.flags)) if (f.short) byShort.set(f.short, name);
  let dashdash = false;
  let i = 0;
  const take = (name: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    if (i + 1 >= argv.length) throw new UserError(`${verb}: option --${name} needs a value`);
    return argv[++i];
  };
  const set = (name: string, inline: string | undefined) => {
    const f = spec.flags[name];
    if (!f) throw new UserError(`${verb}: unknown option --${name} (see: linger ${verb} --help)`);
    if (f.kind === 'bool') {
      if (inline !== undefined) throw new UserError(`${verb}: option --${name} takes no value`);
      flags[name] = true;
    } else if (f.kind === 'string') flags[name] = take(name, inline);
    else { const v = take(name, inline); flags[name] = [...((flags[name] as string[] | undefined) ?? []), v]; }
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { dashdash = true; positionals.push(...argv.slice(i + 1)); break; }
    if (spec.restAfterFirst && positionals.length) { positionals.push(...argv.slice(i)); break; }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      set(eq > 0 ? a.slice(2, eq) : a.slice(2), eq > 0 ? a.slice(eq + 1) : undefined);
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      // -f, -h, or bundled bools like -fq; -n5 gives a value to a short string flag.
      for (let k = 1; k < a.length; k++) {
        const name = byShort.get(a[k]);
        if (!name) throw new UserError(`${verb}: unknown option -${a[k]} (see: linger ${verb} --help)`);
        if (spec.flags[name].kind === 'bool') { flags[name] = true; continue; }
        set(name, k + 1 < a.length ? a.slice(k + 1) : undefined);
        break;
      }
    } else positionals.push(a);
  }
  return { flags, positionals, dashdash };
}

/** Seconds (may be fractional) → milliseconds; user error when not a non-negative number. */
export function seconds(verb: string, flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new UserError(`${verb}: --${flag} wants seconds, got '${v}'`);
  return Math.round(parseFloat(v) * 1000);
}

export function envPairs(list: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of list ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UserError(`run: --env wants K=V, got '${kv}'`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}
