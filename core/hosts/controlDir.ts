// Where our ssh control sockets live: `ssh` in our state dir (0700), or, when that path is too
// long for a unix socket, a short lstat-checked /tmp/linger-UID/ssh-HASH (as tmux.sock does in
// core/jobs/backends.ts). ssh creates the socket as ControlPath plus a 17-byte temp suffix, then
// renames it: the whole must fit sun_path (108 bytes with the NUL).
import { join } from 'node:path';
import { UserError } from '../jobs/types';
import { ensurePrivateDir, shortSocketPath } from '../jobs/fsafe';
import { mkdirp } from '../jobs/store';

/** %C is 40 hex; ssh adds '.' + 16 random chars while it binds. */
const SOCKET_TAIL = 1 + 40 + 17;
const SUN_PATH_MAX = 107;

export function controlDirFits(dir: string): boolean {
  return Buffer.byteLength(dir) + SOCKET_TAIL <= SUN_PATH_MAX;
}

/** Creates (0700) and returns the control socket directory for this state home. */
export function controlDir(home: string): string {
  ensureHome(home);
  const preferred = join(home, 'ssh');
  let dir = preferred;
  if (!controlDirFits(preferred)) {
    const { dir: base, tag } = shortSocketPath(home, 12, 'ssh control sockets');
    dir = join(base, `ssh-${tag}`);
  }
  const problem = ensurePrivateDir(dir);
  if (problem) throw new UserError(`${problem}; refusing to put ssh control sockets there`, 'stateDir');
  return dir;
}

function ensureHome(home: string): void {
  // The state dir itself is checked by the engine; here it only has to exist.
  try { mkdirp(home); } catch (e) { throw new UserError(`cannot create ${home}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, 'stateDir'); }
}
