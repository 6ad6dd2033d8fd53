// The CLI's other-hosts half: `--host H VERB` and `ls --hosts all`. A bundle of its own
// (dist/linger-hosts.js, loaded by cli/main.ts only when a host is named), because the JSON-RPC
// client libraries it needs would otherwise slow down the start of every local verb.
import { Engine } from '../core/jobs/engine';
import type { Parsed } from './args';
import { lsAllHosts } from './hostsLs';
import { cliPool, runRemote } from './remote';

export interface HostsCall { verb: string; p: Parsed; host: string | null; configFile: string | null }

export async function hostsMain(c: HostsCall): Promise<number> {
  const pool = cliPool(c.configFile);
  try {
    if (c.host === null) return await lsAllHosts(new Engine(), pool, c.configFile, { all: c.p.flags.all === true, json: c.p.flags.json === true });
    return await runRemote(c.verb, c.p, c.host, pool);
  } finally {
    await pool.dispose();
  }
}
