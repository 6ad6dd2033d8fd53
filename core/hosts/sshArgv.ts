// Every ssh command line Linger builds, as pure functions of the platform and the options, so the
// argv for a platform we cannot run here (Windows: no ControlMaster in Win32-OpenSSH, #405/#1328)
// is still unit-tested. Nothing user-typed ever becomes a word of these argvs except the host
// alias (checked by validHostName) and, for attach, the remote agent's own AttachCommand words,
// each quoted for the remote POSIX shell.
import { shQuote } from '../jobs/backends';
import type { AttachCommand } from '../jobs/types';

export type ClientPlatform = NodeJS.Platform;

export interface SshOptions {
  platform: ClientPlatform;
  /** ssh_config the user named (linger.sshConfigFile / --ssh-config / LINGER_SSH_CONFIG): passed with -F. */
  configFile?: string | null;
  /** Our private socket directory (controlDir.ts); unused on Windows. */
  controlDir?: string | null;
  /** Seconds an idle master outlives its last client. */
  controlPersist?: number;
  /** The ssh program (default `ssh`, the first on PATH). */
  ssh?: string;
  /**
   * A person is at a terminal (the CLI on a tty): ssh may ask for a password or passphrase on
   * /dev/tty, so no BatchMode. The agent never is: it would hang on a prompt nobody sees.
   */
  interactive?: boolean;
}

export const DEFAULT_CONTROL_PERSIST = 600;

/**
 * An ssh alias as the user would type it: a Host entry word or a setting. Anything that ssh
 * could read as an option (leading '-') or that no ssh_config Host line could name (space,
 * control characters) is refused before it reaches a command line.
 */
export function validHostName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !name.startsWith('-') && !/[\s\x00-\x1f\x7f'"\\]/.test(name);
}

/**
 * The options every ssh we start gets, before the host. Multiplexing: our own ControlPath in our
 * private dir (first value wins in ssh, so these beat the user's ControlPath/ControlMaster), so a
 * request after the first costs one round trip. Windows: ControlMaster=no and ControlPath=none,
 * because ssh.exe fails outright on a user's `ControlMaster auto`.
 * Host key checking is never touched: StrictHostKeyChecking and known_hosts stay the user's.
 */
export function sshBaseArgs(o: SshOptions, mode: { batch: boolean }): string[] {
  const a: string[] = [];
  if (o.configFile) a.push('-F', o.configFile);
  // Non-interactive connections must fail, not wait for a password prompt nobody sees
  // (Remote-SSH does the same for its background connections once a master exists).
  if (mode.batch && !o.interactive) a.push('-o', 'BatchMode=yes');
  // Our connections carry our own command and nothing else: a host's RemoteCommand (ssh refuses
  // a command line beside it) and its LocalForward/DynamicForward (our master would hold the
  // user's ports, or fail on them with ExitOnForwardFailure) are for the user's own sessions.
  a.push('-o', 'RemoteCommand=none', '-o', 'ClearAllForwardings=yes');
  if (o.platform === 'win32') {
    a.push('-o', 'ControlMaster=no', '-o', 'ControlPath=none');
  } else if (o.controlDir) {
    a.push('-o', 'ControlMaster=auto', '-o', `ControlPersist=${o.controlPersist ?? DEFAULT_CONTROL_PERSIST}`,
      '-o', `ControlPath=${o.controlDir}/%C`);
  }
  return a;
}

/** argv of a non-interactive command on the host: `script` is one of our constant scripts (bootstrap.ts). */
export function sshCommandArgv(o: SshOptions, host: string, script: string): string[] {
  if (!validHostName(host)) throw new Error(`not a usable ssh host name: ${JSON.stringify(host)}`);
  // ssh joins the words after the host into one string for the remote login shell. `sh -c`
  // plus one single-quoted constant reads the same in bash, zsh, dash, fish and tcsh: the
  // scripts contain no single quote, backslash, '!' or newline (assertPortableScript).
  assertPortableScript(script);
  return [o.ssh ?? 'ssh', ...sshBaseArgs(o, { batch: true }), '-T', '--', host, `sh -c '${script}'`];
}

/** `ssh -G host` with the same options: ssh's own view of the host's effective settings. */
export function sshConfigDumpArgv(o: SshOptions, host: string): string[] {
  if (!validHostName(host)) throw new Error(`not a usable ssh host name: ${JSON.stringify(host)}`);
  return [o.ssh ?? 'ssh', ...sshBaseArgs(o, { batch: true }), '-G', '--', host];
}

/** `ssh -O exit host`: ends our master for the host (not on Windows, which has none). */
export function sshExitMasterArgv(o: SshOptions, host: string): string[] | null {
  if (o.platform === 'win32' || !o.controlDir || !validHostName(host)) return null;
  return [o.ssh ?? 'ssh', ...sshBaseArgs(o, { batch: true }), '-O', 'exit', '--', host];
}

export function assertPortableScript(script: string): void {
  if (/['\\!\n\r]/.test(script)) throw new Error('internal: a remote script must not contain quote, backslash, ! or newline');
}

/**
 * A terminal on the host running the remote agent's AttachCommand: `ssh -t host -- WORDS`, each
 * word of `env K=V… argv…` single-quoted, so the remote shell's one parse gives back exactly
 * the agent's argv (the agent built it; nothing is re-split). Interactive: no BatchMode, so a
 * prompt can be answered if the master is gone; the master is reused when it is there.
 */
export function sshAttachArgv(o: SshOptions, host: string, a: AttachCommand): string[] {
  if (!validHostName(host)) throw new Error(`not a usable ssh host name: ${JSON.stringify(host)}`);
  const env = Object.entries(a.env ?? {});
  const words = env.length ? ['env', ...env.map(([k, v]) => `${k}=${v}`), ...a.argv] : a.argv;
  return [o.ssh ?? 'ssh', ...sshBaseArgs(o, { batch: false }), '-t', '--', host, ...words.map(shQuote)];
}
