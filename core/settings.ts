// The `linger.*` settings, in one place for the extension, the agent and the CLI: their names,
// defaults and allowed values, and the one normalisation of whatever arrives (VS Code's
// configuration, initializationOptions, didChangeConfiguration). package.json's `contributes`
// repeats names, defaults and enums for VS Code's settings UI; test/unit/settings.test.ts keeps it
// equal to this module. Pure data and functions: no vscode, no node imports.
import { BACKEND_CHOICES, type BackendChoice } from './jobs/types';
import type { ProgressPattern } from './jobs/progress';

export type NotifyOnExit = 'always' | 'onFailure' | 'never';
export const NOTIFY_ON_EXIT: readonly NotifyOnExit[] = ['always', 'onFailure', 'never'];

export const SETTINGS_SECTION = 'linger';

/** Every contributed setting with its default, under its name without the `linger.` section. */
export const SETTING_DEFAULTS = {
  defaultBackend: 'auto' as BackendChoice,
  logSizeCapMB: 100,
  notifyOnExit: 'onFailure' as NotifyOnExit,
  reattachOnReconnect: true,
  killGraceSeconds: 5,
  /** Empty: $LINGER_HOME, else the XDG state dir. */
  stateDirectory: '',
  /** Tried before the built-in recognisers (tqdm, rich, N/M, percentages); see core/jobs/progress.ts. */
  progressPatterns: [] as ProgressPattern[],
  /** Hosts beyond the ssh_config's Host entries (ssh aliases or user@host names). */
  hosts: [] as string[],
  /** Hosts not to show (ssh_config entries one never runs jobs on). */
  hiddenHosts: [] as string[],
  /** Empty: ~/.ssh/config, as ssh reads it; a named file is also given to ssh with -F. */
  sshConfigFile: '',
};

/** The settings the agent needs, as the extension sends them (`initializationOptions.settings`). */
export type AgentSettingsWire = Pick<typeof SETTING_DEFAULTS, 'defaultBackend' | 'logSizeCapMB' | 'killGraceSeconds' | 'stateDirectory' | 'progressPatterns'
  | 'hosts' | 'hiddenHosts' | 'sshConfigFile'>;

/** The agent's settings, normalised: what the engine is built from. */
export interface LingerSettings {
  /** State directory override (like LINGER_HOME); null = the engine's default. */
  stateDir: string | null;
  /** Per-job log cap in bytes; null = the engine's default. */
  logCapBytes: number | null;
  defaultBackend: BackendChoice;
  killGraceSeconds: number;
  /** The user's progress patterns, as given (compiled, and refused when unsafe, where used). */
  progressPatterns: ProgressPattern[];
  /** `linger.hosts`, `linger.hiddenHosts` (core/hosts/hostList.ts). */
  hosts: string[];
  hiddenHosts: string[];
  /** The ssh_config to read and give to ssh with -F; null = ~/.ssh/config without -F. */
  sshConfigFile: string | null;
}

const MIB = 1024 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A positive finite number (a numeric string too), else null. */
export function positiveNumber(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/** A list of non-empty trimmed strings (anything else dropped). */
export function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
}

/** What the extension sends, from the values VS Code's configuration gives (anything unusable: the default). */
export function agentSettingsWire(get: (key: keyof AgentSettingsWire) => unknown): AgentSettingsWire {
  return {
    defaultBackend: oneOf(get('defaultBackend'), BACKEND_CHOICES, SETTING_DEFAULTS.defaultBackend),
    logSizeCapMB: positiveNumber(get('logSizeCapMB')) ?? SETTING_DEFAULTS.logSizeCapMB,
    killGraceSeconds: positiveNumber(get('killGraceSeconds')) ?? SETTING_DEFAULTS.killGraceSeconds,
    stateDirectory: String(get('stateDirectory') ?? '').trim(),
    progressPatterns: progressPatternsFrom(get('progressPatterns')),
    hosts: stringList(get('hosts')),
    hiddenHosts: stringList(get('hiddenHosts')),
    sshConfigFile: String(get('sshConfigFile') ?? '').trim(),
  };
}

/** The entries of a progressPatterns value that have a name and a regex (strings); the rest is dropped. */
export function progressPatternsFrom(v: unknown): ProgressPattern[] {
  if (!Array.isArray(v)) return [];
  return v.filter((p): p is ProgressPattern => isObject(p) && typeof p.name === 'string' && p.name.trim() !== '' && typeof p.regex === 'string' && p.regex !== '')
    .slice(0, 32).map((p) => ({ name: p.name.trim(), regex: p.regex }));
}

export const LingerSettings = {
  defaults(): LingerSettings {
    return {
      stateDir: null, logCapBytes: null, defaultBackend: SETTING_DEFAULTS.defaultBackend, killGraceSeconds: SETTING_DEFAULTS.killGraceSeconds, progressPatterns: [],
      hosts: [], hiddenHosts: [], sshConfigFile: null,
    };
  },

  /**
   * Accepts the settings object itself, or it wrapped as `{settings: …}` (initializationOptions)
   * or `{linger: …}` (didChangeConfiguration). The names are the contributed ones
   * (AgentSettingsWire); `stateDir` and `logCapBytes` (bytes), the engine's own names, are
   * accepted too for clients that speak in engine terms. Anything unusable falls back to the
   * default rather than failing.
   */
  from(raw: unknown): LingerSettings {
    const out = LingerSettings.defaults();
    let obj: unknown = raw;
    for (let i = 0; i < 2 && isObject(obj); i++) {
      if (isObject(obj.settings)) obj = obj.settings;
      else if (isObject(obj[SETTINGS_SECTION])) obj = obj[SETTINGS_SECTION];
      else break;
    }
    if (!isObject(obj)) return out;
    const dir = obj.stateDir ?? obj.stateDirectory;
    if (typeof dir === 'string' && dir.trim() !== '') out.stateDir = dir.trim();
    const bytes = positiveNumber(obj.logCapBytes);
    const mb = positiveNumber(obj.logSizeCapMB);
    if (bytes !== null) out.logCapBytes = Math.round(bytes);
    else if (mb !== null) out.logCapBytes = Math.round(mb * MIB);
    out.defaultBackend = oneOf(obj.defaultBackend, BACKEND_CHOICES, out.defaultBackend);
    out.killGraceSeconds = positiveNumber(obj.killGraceSeconds) ?? out.killGraceSeconds;
    out.progressPatterns = progressPatternsFrom(obj.progressPatterns);
    out.hosts = stringList(obj.hosts);
    out.hiddenHosts = stringList(obj.hiddenHosts);
    if (typeof obj.sshConfigFile === 'string' && obj.sshConfigFile.trim() !== '') out.sshConfigFile = obj.sshConfigFile.trim();
    return out;
  },

  equal(a: LingerSettings, b: LingerSettings): boolean {
    return a.stateDir === b.stateDir && a.logCapBytes === b.logCapBytes
      && a.defaultBackend === b.defaultBackend && a.killGraceSeconds === b.killGraceSeconds
      && JSON.stringify(a.progressPatterns) === JSON.stringify(b.progressPatterns)
      && a.sshConfigFile === b.sshConfigFile && a.hosts.join('\n') === b.hosts.join('\n') && a.hiddenHosts.join('\n') === b.hiddenHosts.join('\n');
  },
};

/** The kill grace in milliseconds (the engine's unit). */
export function killGraceMs(seconds: number = SETTING_DEFAULTS.killGraceSeconds): number {
  return Math.round(seconds * 1000);
}
