// Which hosts there are: "this host" first, then every `Host` line of the user's ssh_config that
// names exactly one host (no wildcard, no negation, Includes followed in the order ssh reads
// them), then the `linger.hosts` setting; minus `linger.hiddenHosts`. The file is the one ssh
// itself reads (~/.ssh/config) unless the user named another, which is then also given to ssh
// with -F (sshArgv.ts), so the hosts listed and the way ssh reaches them agree.
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../sshconfig/index';
import { defaultReadFile } from '../sshconfig/fsDefaults';
import type { HostSource } from './types';
import { validHostName } from './sshArgv';

export interface HostEntry { name: string | null; label: string; source: HostSource }

export interface HostListOptions {
  /** The ssh_config to read; null/undefined = ~/.ssh/config. */
  configFile?: string | null;
  /** `linger.hosts`. */
  extra?: readonly string[];
  /** `linger.hiddenHosts`. */
  hidden?: readonly string[];
  /** Injected for tests; default node fs (never throws). */
  readFile?: (path: string) => string | undefined;
  home?: string;
}

/** The file ssh reads: the named one, else ~/.ssh/config. */
export function sshConfigPath(configFile: string | null | undefined, home: string = process.env.HOME || homedir()): string {
  return configFile && configFile.trim() !== '' ? configFile : join(home, '.ssh', 'config');
}

/** OpenSSH's Include depth limit (readconf.c READCONF_MAX_DEPTH). */
const MAX_DEPTH = 16;

/** Single-host Host names of `file` and of the files it Includes, in reading order. */
export function sshConfigHosts(file: string, readFile: (p: string) => string | undefined = defaultReadFile, home?: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (path: string, depth: number): void => {
    if (depth > MAX_DEPTH || seen.has(path)) return;
    seen.add(path);
    const text = readFile(path);
    if (text === undefined) return;
    const a = analyze(text, { dialect: 'ssh', file: path, readFile, ...(home ? { includeBase: join(home, '.ssh') } : {}) });
    // Lines and Includes interleaved by line number: an included file's hosts come where its Include is.
    const includes = new Map<number, string[]>();
    for (const inc of a.includes) includes.set(inc.line, [...(includes.get(inc.line) ?? []), ...inc.files]);
    for (const node of a.lines) {
      if (node.kind === 'host') {
        const words = node.args.map((t) => t.text);
        if (words.length === 1 && isSingleHost(words[0]!)) out.push(words[0]!);
      } else if (node.kind === 'include') {
        for (const f of includes.get(node.line) ?? []) walk(f, depth + 1);
      }
    }
  };
  walk(file, 0);
  return out;
}

/** A Host pattern that matches exactly one name: no wildcard, no negation, no list. */
export function isSingleHost(pattern: string): boolean {
  return !/[*?!,]/.test(pattern) && validHostName(pattern);
}

export function thisHostLabel(): string {
  let h = '';
  try { h = hostname(); } catch { /* unnamed */ }
  return h ? `this host (${h})` : 'this host';
}

/** "this host" first, then ssh_config hosts, then setting hosts; each name once; hidden ones left out. */
export function listHosts(o: HostListOptions = {}): HostEntry[] {
  const home = o.home ?? (process.env.HOME || homedir());
  const hidden = new Set(o.hidden ?? []);
  const out: HostEntry[] = [{ name: null, label: thisHostLabel(), source: 'local' }];
  const seen = new Set<string>();
  const add = (name: string, source: HostSource) => {
    if (seen.has(name) || hidden.has(name) || !validHostName(name)) return;
    seen.add(name);
    out.push({ name, label: name, source });
  };
  for (const h of sshConfigHosts(sshConfigPath(o.configFile, home), o.readFile, home)) add(h, 'ssh_config');
  for (const h of o.extra ?? []) add(h.trim(), 'setting');
  return out;
}
