// The agent bundle we put on other hosts: the built files the remote agent and the remote CLI
// need at run time, found next to the running bundle (dist/) or in the source tree's dist/.
// Only the checksum is kept in memory; the bytes are read again when a host needs an install.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LINGER_VERSION } from './version';

/**
 * In upload order. server.js is the agent; linger.js the CLI (install-cli, setsid attach);
 * linger-wrap.sh the job wrapper the engine copies into its state dir; linger-lint.js and
 * linger-hosts.js are loaded by `linger lint` and `linger --host` there. The order is part of the checksum (the pack is their concatenation).
 */
export const BUNDLE_FILES = ['server.js', 'linger.js', 'linger-wrap.sh', 'linger-lint.js', 'linger-hosts.js'] as const;

export interface AgentBundle {
  dir: string;
  version: string;
  /** sha256 of the files concatenated in BUNDLE_FILES order (hex). */
  sha256: string;
  sizes: number[];
  /** The remote folder's name: `<version>-<sha prefix>`; a new build gets a new folder. */
  folder: string;
  /** The concatenated bytes (read on demand). */
  pack(): Buffer;
}

/** A dir holding every bundle file: next to this code when bundled, else the repo's dist/. */
export function findBundleDir(): string | null {
  for (const d of [__dirname, join(__dirname, '..', '..', 'dist'), join(__dirname, '..', 'dist')]) {
    if (BUNDLE_FILES.every((f) => existsSync(join(d, f)))) return d;
  }
  return null;
}

export function loadBundle(dir: string | null = findBundleDir(), version: string = LINGER_VERSION): AgentBundle {
  if (!dir) throw new Error(`the Linger agent bundle (${BUNDLE_FILES.join(', ')}) was not found next to this program: run npm run build`);
  if (!/^[0-9A-Za-z.+-]+$/.test(version)) throw new Error(`internal: unusable version ${version}`);
  const read = () => BUNDLE_FILES.map((f) => readFileSync(join(dir, f)));
  const parts = read();
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  const sha256 = h.digest('hex');
  return {
    dir, version, sha256, sizes: parts.map((p) => p.length),
    folder: `${version}-${sha256.slice(0, 16)}`,
    pack: () => {
      const b = Buffer.concat(read());
      // The files changed under us (a rebuild): the checksum would not match on the host.
      if (createHash('sha256').update(b).digest('hex') !== sha256) throw new Error('the agent bundle changed on disk while Linger was running; restart it');
      return b;
    },
  };
}
