// `linger lint [--client|--server] [--json] FILE...`: checks sshd_config / ssh_config files the
// way OpenSSH 9.2p1 reads them (see core/sshconfig). Exit 1 when any error (or a user error:
// bad flag, unreadable file), else 0.

import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { analyze, type ConfigDiagnostic, type Dialect } from '../../core/sshconfig/index';

export const LINT_USAGE = `usage: linger lint [--client | --server] [--json] [--no-includes] FILE...

Checks sshd_config / ssh_config files the way OpenSSH 9.2p1 reads them: unknown keywords,
bad values, directives not allowed in a Match block, values OpenSSH ignores (duplicates,
deprecated options), Include targets, and keepalive settings that drop or strand sessions.

Dialect: --server (sshd_config) or --client (ssh_config). Without either, a file named
ssh_config*, a file under a directory named ssh_config.d, or a file named 'config' in a .ssh
directory is read as a client config; everything else as an sshd_config.

Output: one line per finding, "FILE:LINE:COL: SEVERITY CODE: MESSAGE" (1-based), or with
--json one array of {file,line,col,endLine,endCol,severity,code,message} (1-based; endCol is
the column just after the range). Severity "error" is used exactly where OpenSSH refuses the file.
Relative Include paths resolve against /etc/ssh (server) or ~/.ssh (client), as OpenSSH does;
--no-includes skips reading them.

Exit status: 1 when any file has an error or cannot be read, else 0.`;

interface LintFlags { dialect?: Dialect; json: boolean; noIncludes: boolean; files: string[] }

function parseFlags(args: string[]): LintFlags | string {
  const f: LintFlags = { json: false, noIncludes: false, files: [] };
  let rest = false;
  for (const a of args) {
    if (rest || a === '-' || !a.startsWith('-')) { f.files.push(a); continue; }
    switch (a) {
      case '--': rest = true; break;
      case '--json': f.json = true; break;
      case '--client': case '-c':
        if (f.dialect === 'sshd') return 'lint: --client and --server exclude each other';
        f.dialect = 'ssh'; break;
      case '--server': case '-s':
        if (f.dialect === 'ssh') return 'lint: --client and --server exclude each other';
        f.dialect = 'sshd'; break;
      case '--no-includes': f.noIncludes = true; break;
      case '--help': case '-h': return 'help';
      default: return `lint: unknown option '${a}' (see: linger lint --help)`;
    }
  }
  if (!f.files.length) return 'lint: no file given (usage: linger lint [--client] [--json] FILE...)';
  return f;
}

/** Client config by name: ssh_config*, …/ssh_config.d/…, …/.ssh/config*. */
export function guessDialect(path: string): Dialect {
  const base = basename(path);
  const dir = basename(dirname(resolve(path)));
  if (base.startsWith('ssh_config') || dir === 'ssh_config.d') return 'ssh';
  if (dir === '.ssh' && base.startsWith('config')) return 'ssh';
  return 'sshd';
}

export interface LintJson { file: string; line: number; col: number; endLine: number; endCol: number; severity: string; code: string; message: string }

export function toJson(d: ConfigDiagnostic, shownFile: string): LintJson {
  return { file: shownFile, line: d.line + 1, col: d.col + 1, endLine: d.endLine + 1, endCol: d.endCol + 1, severity: d.severity, code: d.code, message: d.message };
}

export async function lint(args: string[]): Promise<number> {
  const f = parseFlags(args);
  if (f === 'help') { process.stdout.write(LINT_USAGE + '\n'); return 0; }
  if (typeof f === 'string') { process.stderr.write(`linger: ${f}\n`); return 1; }
  let failed = false;
  const all: LintJson[] = [];
  const lines: string[] = [];
  for (const file of f.files) {
    let text: string;
    try {
      text = file === '-' ? readFileSync(0, 'latin1') : readFileSync(file, 'latin1');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(`linger: lint: cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message}\n`);
      failed = true;
      continue;
    }
    const abs = file === '-' ? resolve('stdin') : resolve(file);
    const dialect = f.dialect ?? (file === '-' ? 'sshd' : guessDialect(file));
    const a = analyze(text, { dialect, file: abs, noIncludes: f.noIncludes });
    for (const d of a.diagnostics) {
      if (d.severity === 'error') failed = true;
      const shown = d.file === abs ? file : d.file;
      const j = toJson(d, shown);
      all.push(j);
      lines.push(`${j.file}:${j.line}:${j.col}: ${j.severity} ${j.code}: ${j.message}`);
    }
  }
  if (f.json) process.stdout.write(JSON.stringify(all, null, 2) + '\n');
  else if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  return failed ? 1 : 0;
}
