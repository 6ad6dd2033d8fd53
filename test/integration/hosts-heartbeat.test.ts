// A host whose ssh_config has no ServerAlive (and no ConnectTimeout): ssh alone would keep a
// silent connection "up" for ~15 minutes (TCP retransmissions). Our heartbeat notices the cut,
// and the pool, which the host was asked for, reconnects by itself after heal.
// Control: the same pool with the heartbeat off still calls the cut host connected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadBundle } from '../../core/hosts/bundle';
import { listHosts } from '../../core/hosts/hostList';
import { HostPool } from '../../core/hosts/pool';
import { sshOptionsFor } from '../../core/hosts/setup';
import type { HostInfo } from '../../core/hosts/types';
import { fleetSkipReason, fleetUp, type Fleet } from '../support/fleet-rig';
import { cleanupHome, tempHome } from '../support/linger-home';
import { cliProblem } from '../support/linger-cli';
import { until } from '../support/proc';

const skip = fleetSkipReason() ?? cliProblem();
let fleet: Fleet;
const homes: string[] = [];
const pools: HostPool[] = [];

before(async () => { if (!skip) fleet = await fleetUp(1, { serverAlive: null, connectTimeout: null }); });
after(async () => {
  if (skip) return;
  await Promise.all(pools.map((p) => p.dispose({ exitMasters: true })));
  await fleet.down();
  for (const h of homes) cleanupHome(h);
});

function pool(heartbeat: boolean): { pool: HostPool; seen: HostInfo[][] } {
  const home = tempHome('hb');
  homes.push(home);
  const seen: HostInfo[][] = [];
  const p = new HostPool({
    ssh: sshOptionsFor({ configFile: fleet.sshConfig, stateDir: home }), bundle: () => loadBundle(), settings: () => ({}),
    hosts: () => listHosts({ configFile: fleet.sshConfig }), onHostsChanged: (h) => seen.push(h),
    heartbeatMs: heartbeat ? 2000 : 1e9, heartbeatTimeoutMs: heartbeat ? 4000 : 1e9, backoff: { first: 500, max: 2000 },
  });
  pools.push(p);
  return { pool: p, seen };
}

test('no ServerAlive in the config: the heartbeat marks a cut host unreachable, and it comes back after heal', { skip: skip ?? false }, async () => {
  assert.match(spawnSync('ssh', ['-F', fleet.sshConfig, '-G', 'h1'], { encoding: 'utf8' }).stdout, /^serveraliveinterval (0|300)$/m, 'the rig config has no ServerAlive (BatchMode: Debian ssh quietly uses 300)');
  const a = pool(true);
  const b = pool(false);
  await a.pool.request('h1', 'linger/list', {});
  await b.pool.request('h1', 'linger/list', {});
  assert.equal(a.pool.status('h1').kind, 'connected');
  fleet.cut('h1');
  try {
    await until('h1 unreachable through the heartbeat', () => a.pool.status('h1').kind === 'unreachable', 60_000, 200);
    assert.match(JSON.stringify(a.pool.status('h1')), /no answer from h1/);
    assert.equal(b.pool.status('h1').kind, 'connected', 'control: without the heartbeat the cut is not noticed');
  } finally {
    fleet.heal('h1');
  }
  await until('h1 reconnected by itself', () => a.pool.status('h1').kind === 'connected', 60_000, 200);
  assert.ok(a.seen.some((hs) => hs.some((h) => h.name === 'h1' && h.status.kind === 'unreachable')), 'hostsChanged told of it');
});
