// The agent's settings, normalised once at the boundary: whatever the client sends
// (initializationOptions, workspace/didChangeConfiguration, workspace/configuration) goes through
// `LingerSettings.from` and nothing downstream sees raw JSON.
import type { BackendChoice } from '../core/jobs/types';

export interface LingerSettings {
  /** State directory override (like LINGER_HOME); null = the engine's default. */
  stateDir: string | null;
  /** Per-job log cap in bytes; null = the engine's default. */
  logCapBytes: number | null;
  defaultBackend: BackendChoice;
  killGraceSeconds: number;
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'tmux', 'screen', 'setsid'];
const MIB = 1024 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveNumber(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

export const LingerSettings = {
  defaults(): LingerSettings {
    return { stateDir: null, logCapBytes: null, defaultBackend: 'auto', killGraceSeconds: 5 };
  },

  /**
   * Accepts the settings object itself, or it wrapped as `{settings: …}` (initializationOptions)
   * or `{linger: …}` (didChangeConfiguration). Both spellings are read: the brief's
   * `stateDir`/`logCapBytes` and the extension's `stateDirectory`/`logSizeCapMB`.
   * Anything unusable falls back to the default rather than failing.
   */
  from(raw: unknown): LingerSettings {
    const out = LingerSettings.defaults();
    let obj: unknown = raw;
    for (let i = 0; i < 2 && isObject(obj); i++) {
      if (isObject(obj.settings)) obj = obj.settings;
      else if (isObject(obj.linger)) obj = obj.linger;
      else break;
    }
    if (!isObject(obj)) return out;
    const dir = obj.stateDir ?? obj.stateDirectory;
    if (typeof dir === 'string' && dir.trim() !== '') out.stateDir = dir.trim();
    const bytes = positiveNumber(obj.logCapBytes);
    const mb = positiveNumber(obj.logSizeCapMB);
    if (bytes !== null) out.logCapBytes = Math.round(bytes);
    else if (mb !== null) out.logCapBytes = Math.round(mb * MIB);
    if (typeof obj.defaultBackend === 'string' && (BACKENDS as readonly string[]).includes(obj.defaultBackend)) {
      out.defaultBackend = obj.defaultBackend as BackendChoice;
    }
    const grace = positiveNumber(obj.killGraceSeconds);
    if (grace !== null) out.killGraceSeconds = grace;
    return out;
  },

  equal(a: LingerSettings, b: LingerSettings): boolean {
    return a.stateDir === b.stateDir && a.logCapBytes === b.logCapBytes
      && a.defaultBackend === b.defaultBackend && a.killGraceSeconds === b.killGraceSeconds;
  },
};
