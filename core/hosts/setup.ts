// What the agent and the CLI share to build a HostPool: the ssh options for this process (the
// user's named ssh_config, our control socket dir under the state dir) and the remote agents'
// settings. The named file comes from the setting / --ssh-config, else $LINGER_SSH_CONFIG.
import { defaultHome } from '../jobs/paths';
import { controlDir } from './controlDir';
import type { SshOptions } from './sshArgv';

export function sshConfigFileFrom(named: string | null | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  const v = named && named.trim() !== '' ? named.trim() : env.LINGER_SSH_CONFIG?.trim();
  return v ? v : null;
}

export function sshOptionsFor(o: { configFile: string | null; stateDir?: string | null; platform?: NodeJS.Platform; interactive?: boolean }): SshOptions {
  const platform = o.platform ?? process.platform;
  return {
    platform,
    configFile: o.configFile,
    interactive: o.interactive === true,
    controlDir: platform === 'win32' ? null : controlDirOrNone(o.stateDir ?? defaultHome()),
  };
}

/** Only what means the same on another host: never a local path (its state dir is its own). */
export function remoteAgentSettings(s: { defaultBackend: string; logCapBytes: number | null; killGraceSeconds: number; progressPatterns?: unknown[] }): Record<string, unknown> {
  return {
    defaultBackend: s.defaultBackend, killGraceSeconds: s.killGraceSeconds, ...(s.logCapBytes ? { logCapBytes: s.logCapBytes } : {}),
    ...(s.progressPatterns?.length ? { progressPatterns: s.progressPatterns } : {}),
  };
}

/**
 * No usable private dir for sockets (an unusable state dir, a foreign /tmp/linger-UID): no
 * multiplexing rather than no hosts. Each ssh then makes its own connection: slower, never less private.
 */
function controlDirOrNone(home: string): string | null {
  try { return controlDir(home); } catch { return null; }
}
