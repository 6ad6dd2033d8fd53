// Shared by the oracle-*.test.ts files: the corpus manifest, OpenSSH's first complaint per file,
// and a sandboxed analysis (Includes see only what the oracle machine had: empty .d directories).

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze, type Analysis, type Dialect } from '../../core/sshconfig/index';

export const REPO = resolve(__dirname, '..', '..');
/** The shared corpus sits beside the clone in CI; LINGER_CORPUS overrides. */
export const CORPUS = process.env.LINGER_CORPUS ?? resolve(REPO, '..', 'shared', 'corpus');

export interface ManifestRow {
  file: string;
  kind: Dialect;
  oracleRc: number;
  oracleKind: 'ok' | 'env' | 'syntax';
  firstError: string;
  interval: string;
  countMax: string;
  tcpKeepAlive: string;
  tRc: number;
}

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS, 'MANIFEST.tsv'));
}

export function readManifest(): ManifestRow[] {
  const lines = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const head = lines[0]!.split('\t');
  const col = (name: string): number => head.indexOf(name);
  return lines.slice(1).map((l) => {
    const f = l.split('\t');
    return {
      file: f[col('file')]!,
      kind: f[col('kind_of_config')] as Dialect,
      oracleRc: Number(f[col('oracle_rc')]),
      oracleKind: f[col('oracle_kind')] as ManifestRow['oracleKind'],
      firstError: f[col('oracle_first_error')] ?? '',
      interval: f[col('effective_alive_interval')] ?? '',
      countMax: f[col('effective_alive_countmax')] ?? '',
      tcpKeepAlive: f[col('effective_tcpkeepalive')] ?? '',
      tRc: Number(f[col('oracle_T_rc')]),
    };
  });
}

const WARNING_RE = /^(Deprecated option|Unsupported option|Unable to load host key|Ignored unknown option)/;

/**
 * The 1-based line of OpenSSH's first real complaint about `name` in a stderr text ("NAME line N:"
 * or "NAME: line N:"), skipping warnings; null when the first complaint carries no line.
 */
export function firstErrorLine(stderr: string, name: string): number | null {
  for (const raw of stderr.split(/\r?\n/)) {
    if (raw.startsWith('---')) break;
    const m = /^(.*?):? line (\d+): (.*)$/.exec(raw);
    if (!m) {
      if (raw.trim() === '' || WARNING_RE.test(raw)) continue;
      if (/terminating, \d+ bad configuration options/.test(raw)) continue;
      // A complaint without a line (e.g. "Unsupported KEX algorithm …" printed just before the
      // line-numbered one): keep looking for the numbered one.
      continue;
    }
    if (m[1] !== name) continue;
    if (WARNING_RE.test(m[3]!)) continue;
    return Number(m[2]);
  }
  return null;
}

/** OpenSSH's first line-numbered complaint (any file), skipping warnings. */
export function firstComplaint(stderr: string): { file: string; line: number } | null {
  for (const raw of stderr.split(/\r?\n/)) {
    if (raw.startsWith('---')) break;
    const m = /^(.*?):? line (\d+): (.*)$/.exec(raw);
    if (!m || WARNING_RE.test(m[3]!)) continue;
    return { file: m[1]!, line: Number(m[2]) };
  }
  return null;
}

export function stderrOf(row: ManifestRow): string {
  const [kind, base] = row.file.split('/');
  const p = join(CORPUS, 'oracle-stderr', kind!, base!.replace(/\.conf$/, '.txt'));
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

/** Analysis as on the oracle machine: the include directories were empty, ~ of `nobody` absent. */
export function analyzeSandboxed(text: string, file: string, dialect: Dialect): Analysis {
  return analyze(text, {
    dialect,
    file,
    readFile: (p) => (p === file ? text : undefined),
    listDir: () => undefined,
    includeBase: dialect === 'sshd' ? '/etc/ssh' : '/nonexistent/.ssh',
    matchContext: dialect === 'sshd' ? { user: 'root', host: 'localhost', addr: '127.0.0.1' } : { user: 'nobody', host: 'example.com' },
  });
}

export function firstOwnError(a: Analysis, file: string): number | null {
  let best: number | null = null;
  for (const d of a.diagnostics) {
    if (d.severity !== 'error' || d.file !== file) continue;
    if (best === null || d.line < best) best = d.line;
  }
  return best === null ? null : best + 1;
}

/** Runs `f` over `items` with at most `n` at a time (the oracle tests batch sshd/ssh runs). */
export async function pool<T, R>(items: T[], n: number, f: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!, i);
    }
  }));
  return out;
}
