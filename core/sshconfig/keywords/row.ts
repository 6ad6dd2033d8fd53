// Constructors that make each keyword table entry one line, as OpenSSH's keywords[] rows are.
// A row names its validator as a value (a function from sshdValues.ts / sshValues.ts), so a
// keyword without a handler fails to compile, where OpenSSH makes a missing handler fatal.

import type { Dialect, KeywordSpec, KeywordStatus, ValueSpec } from '../types';
import { type Validator, intArg, multistate } from '../argChecks';
import { INT_MAX } from '../misc';

/** A keyword's argument shape (for completion and the oracle tests) and the check that runs. */
export interface ValueRow { readonly value: ValueSpec; readonly check: Validator }

/** What a row states only when it differs from an active upstream keyword. */
export interface RowExtra {
  aliases?: readonly string[];
  status?: KeywordStatus;
  statusNote?: string;
  aliasOf?: string;
  lastWins?: true;
  origin?: 'upstream' | 'debian';
}

/** sshd scope: SSHCFG_ALL (allowed inside Match) or SSHCFG_GLOBAL. */
export const ALL = true;
export const GLOBAL = false;
/** OpenSSH keeps the first value / every line adds. */
export const FIRST = 'first';
export const ACC = 'accumulate';

/** Value constructors of one dialect: yes/no and time differ between readconf and servconf. */
export function valuesFor(dialect: Dialect, named: ReadonlyMap<Validator, string>, time: Validator) {
  const custom = (check: Validator, values?: readonly string[]): ValueRow => {
    const validator = named.get(check);
    if (validator === undefined) throw new Error(`${dialect} keyword table: a validator without a name`);
    return { value: values ? { kind: 'custom', validator, values } : { kind: 'custom', validator }, check };
  };
  return {
    // readconf's multistate_flag also takes true/false; servconf's does not.
    yesno: { value: { kind: 'yesno' }, check: multistate(dialect === 'ssh' ? ['yes', 'no', 'true', 'false'] : ['yes', 'no']) } as ValueRow,
    time: { value: { kind: 'time' }, check: time } as ValueRow,
    int: (min?: number, max?: number): ValueRow => {
      const value: ValueSpec = { kind: 'int', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
      return { value, check: intArg(min ?? 0, max ?? INT_MAX) };
    },
    oneOf: (values: readonly string[]): ValueRow => ({ value: { kind: 'enum', values }, check: multistate(values) }),
    custom,
  };
}

/** Validator → its name in the dialect's table(s), earlier tables winning (ssh falls back to sshd's). */
export function validatorNames(...tables: ReadonlyArray<Readonly<Record<string, Validator>>>): ReadonlyMap<Validator, string> {
  const m = new Map<Validator, string>();
  for (const t of tables.slice().reverse()) for (const [name, v] of Object.entries(t)) m.set(v, name);
  return m;
}

// Only the keys a row states are set: consumers test presence (`spec.default !== undefined`,
// `'aliases' in`), and the differential compares the tables as JSON.
function build(name: string, match: boolean, multi: KeywordSpec['multi'], v: ValueRow, doc: string | undefined,
  dflt: string | RowExtra | undefined, extra: RowExtra | undefined): KeywordSpec {
  if (doc === undefined) throw new Error(`keyword ${name}: no doc`);
  const x = typeof dflt === 'object' ? dflt : extra ?? {};
  return {
    name, match, multi, status: x.status ?? 'active', value: v.value, doc, check: v.check,
    ...(typeof dflt === 'string' ? { default: dflt } : {}),
    ...(x.aliases ? { aliases: x.aliases } : {}),
    ...(x.statusNote !== undefined ? { statusNote: x.statusNote } : {}),
    ...(x.aliasOf !== undefined ? { aliasOf: x.aliasOf } : {}),
    ...(x.lastWins ? { lastWins: true } : {}),
    ...(x.origin !== undefined ? { origin: x.origin } : {}),
  };
}

/** sshd row: name, scope (ALL/GLOBAL), FIRST/ACC, value, then the `sshd -T` default and extras. */
export function sshdRows(docs: Readonly<Record<string, string>>) {
  return (name: string, scope: boolean, multi: KeywordSpec['multi'], v: ValueRow, dflt?: string | RowExtra, extra?: RowExtra): KeywordSpec =>
    build(name, scope, multi, v, docs[name], dflt, extra);
}

/** ssh row: every ssh_config keyword may appear under Host/Match, so no scope column. */
export function sshRows(docs: Readonly<Record<string, string>>) {
  return (name: string, multi: KeywordSpec['multi'], v: ValueRow, dflt?: string | RowExtra, extra?: RowExtra): KeywordSpec =>
    build(name, true, multi, v, docs[name], dflt, extra);
}
