// Safe file creation and directory checks. A name in a directory we write to may have been
// replaced by a link (or a directory in /tmp made first by someone else); nothing here follows one.
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, renameSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from './errors';

const NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export function euid(): number { return process.geteuid?.() ?? process.getuid?.() ?? 0; }

/** Creates path (it must not exist, not even as a dangling link) and writes data; 0600. */
export function createExclusive(path: string, data: string | Buffer): void {
  const fd = openSync(path, NEW, 0o600);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(path); } catch { /* gone already */ }
    throw e;
  }
  closeSync(fd);
}

/**
 * Atomic replace: a fresh temp name (O_EXCL|O_NOFOLLOW, so a planted link is never written
 * through) renamed over path (rename replaces a link at path instead of following it). On any
 * failure (a full disk fails the write, not the create) the temp file is removed.
 */
export function writeAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  createExclusive(tmp, data);
  try { renameSync(tmp, path); } catch (e) {
    try { unlinkSync(tmp); } catch { /* gone */ }
    throw e;
  }
}

export function modeText(m: number): string { return (m & 0o7777).toString(8).padStart(4, '0'); }

/**
 * Why a directory outside our state dir (tmux's /tmp/tmux-UID, screen's socket dir, our
 * /tmp/linger-UID) must not be used, or null when it is fine: checked with lstat as tmux itself
 * does, a real directory (not a link), owned by the caller, no access for group or others.
 */
export function privateDirProblem(dir: string): string | null {
  let st;
  try { st = lstatSync(dir); } catch (e) { return `cannot check ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`; }
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  if (st.uid !== euid()) return `${dir} is owned by uid ${st.uid}, not you (uid ${euid()})`;
  if (st.mode & 0o077) return `${dir} is open to group or others (mode ${modeText(st.mode)})`;
  return null;
}

/** Makes dir 0700 if missing, then checks it as privateDirProblem does; returns the problem or null. */
export function ensurePrivateDir(dir: string): string | null {
  try { mkdirSync(dir, { mode: 0o700 }); } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`;
  }
  return privateDirProblem(dir);
}

/**
 * Why a state directory (ours, but possibly pointed at by LINGER_HOME / HOME) must not be read or
 * driven, or null: it must be a directory owned by the caller. One we own that is open to others
 * is tightened to 0700 (the records in it are still ours).
 */
export function stateDirProblem(dir: string): string | null {
  let st;
  try { st = lstatSync(dir); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? null : `cannot check state directory ${dir}: ${code ?? 'error'}`;
  }
  if (st.isSymbolicLink()) {
    // A state dir reached through a link the caller made (LINGER_HOME=~/link) is fine when the
    // link itself is theirs; what it points to is checked like any state dir.
    if (st.uid !== euid()) return `state directory ${dir} is a link not owned by you (owner uid ${st.uid}, you are uid ${euid()}); permission denied`;
    try { st = lstatSync(`${dir}/.`); } catch (e) { return `cannot check state directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`; }
  }
  if (!st.isDirectory()) return `state path is not a directory: ${dir}`;
  if (st.uid !== euid()) return `state directory ${dir} is not owned by you (owner uid ${st.uid}, you are uid ${euid()}); permission denied: another user's state is never read or acted on`;
  if (st.mode & 0o077) {
    try { chmodSync(dir, 0o700); } catch { return `state directory ${dir} is open to group or others (mode ${modeText(st.mode)}) and cannot be made private`; }
  }
  return null;
}

/** "no space left on the device holding DIR" when the file system holding dir is full, else null. */
export function fullDiskNote(dir: string): string | null {
  try {
    const s = statfsSync(dir);
    // The root reserve (ext*) makes bavail 0 for users while bfree is not: either means full here.
    if (s.bavail <= 1 || s.bfree <= 1) return `no space left on the device holding ${dir}`;
  } catch { /* unknown: say nothing */ }
  return null;
}

/**
 * Where sockets go when their path in the state dir would not fit sun_path (108 bytes): the
 * per-user 0700 /tmp/linger-UID, and in it a name derived from the state dir `home` (`hashLen`
 * hex chars), so two state dirs never share a socket. The dir is checked with lstat: someone
 * else may have made the name first, or planted a link there. `what` names the socket in the error.
 */
export function shortSocketPath(home: string, hashLen: number, what: string): { dir: string; tag: string } {
  const dir = join('/tmp', `linger-${euid()}`);
  const problem = ensurePrivateDir(dir);
  if (problem) throw new UserError(`${problem}; refusing to put ${what} there`, 'stateDir');
  return { dir, tag: createHash('sha1').update(home).digest('hex').slice(0, hashLen) };
}
