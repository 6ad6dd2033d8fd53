// Many hosts (issue 16) on the fleet rig (test/support/fleet-rig.ts: 8 real sshds in network
// namespaces): a request to a connected host vs a raw ssh over the same master, `ls --hosts all`
// vs the slowest single host, first contact (agent copy included) vs a plain ssh handshake, and
// the local memory per connected host.
//   node --import tsx bench/hosts.bench.ts        (needs root and dist/)
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLE_FILES, loadBundle } from '../core/hosts/bundle';
import { listHosts } from '../core/hosts/hostList';
import { HostPool } from '../core/hosts/pool';
import { sshOptionsFor } from '../core/hosts/setup';
import { fleetSkipReason, fleetUp, type Fleet } from '../test/support/fleet-rig';
import { cleanupHome, tempHome } from '../test/support/linger-home';

const CLI = join(resolve(__dirname, '..'), 'dist', 'linger.js');
const out: string[] = [];
const log = (s: string) => process.stderr.write(`  hosts.bench: ${s}\n`);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const ms = (x: number) => `${x.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const timeSync = (fn: () => void) => { const t = now(); fn(); return now() - t; };
const rssKiB = (pid: number) => +(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

async function main(): Promise<void> {
  out.push('## Many hosts (bench/hosts.bench.ts)', '');
  const skip = fleetSkipReason();
  if (skip) { out.push(`Skipped: ${skip}.`, ''); process.stdout.write(out.join('\n') + '\n'); return; }
  let fleet: Fleet | null = null;
  const home = tempHome('hbench');
  let pool: HostPool | null = null;
  try {
    fleet = await fleetUp(8);
    const f = fleet;
    const ssh = sshOptionsFor({ configFile: f.sshConfig, stateDir: home });
    const mkPool = () => new HostPool({ ssh, bundle: () => loadBundle(), settings: () => ({}), hosts: () => listHosts({ configFile: f.sshConfig }) });
    pool = mkPool();
    const p = pool;
    const env = { ...process.env, LINGER_HOME: home };
    const cli = (args: string[]) => { const r = spawnSync(process.execPath, [CLI, '--ssh-config', f.sshConfig, ...args], { encoding: 'utf8', env }); if (r.status !== 0) throw new Error(`linger ${args.join(' ')}: ${r.stderr}`); };

    // 1. A request over a live connection vs the cheapest thing the same master can do.
    log('request to a connected host vs ssh -S <master> true');
    await p.request('h1', 'linger/list', {});
    const sock = readdirSync(ssh.controlDir!).map((n) => join(ssh.controlDir!, n))[0]!;
    const N = 30;
    const req: number[] = [], raw: number[] = [];
    for (let i = 0; i < N; i++) {
      raw.push(timeSync(() => { const r = spawnSync('ssh', ['-F', f.sshConfig, '-S', sock, 'h1', 'true']); if (r.status !== 0) throw new Error('ssh -S failed'); }));
      const t = now(); await p.request('h1', 'linger/list', {}); req.push(now() - t);
    }
    out.push('### A request to a connected host vs a raw `ssh -S <same master> host true` (goal ≤ 1.2×)', '',
      `Median of ${N}, interleaved. The request is \`linger/list\` through the HostPool (JSON-RPC over the long-lived ssh session to h1's agent, which reads its job dir); the floor is a new ssh client process over the same ControlMaster socket running \`true\`.`, '',
      '| linger/list on h1 | `ssh -S sock h1 true` | ratio |', '|---|---|---|',
      `| ${ms(median(req))} | ${ms(median(raw))} | ${ratio(median(req), median(raw))} |`, '');

    // 2. All hosts in parallel vs the slowest single one (whole CLI processes, masters warm).
    log('ls --hosts all vs the slowest single host');
    const hosts = f.hosts.map((h) => h.name).filter((h) => h !== 'h3');
    for (const h of f.hosts) spawnSync(process.execPath, [CLI, '--ssh-config', f.sshConfig, '--host', h.name, 'ls'], { env, stdio: 'ignore' });
    const R = 7;
    const allT: number[] = [], parT: number[] = [];
    const single: Record<string, number[]> = {};
    const cliAsync = (args: string[]) => new Promise<void>((res, rej) => {
      const c = spawn(process.execPath, [CLI, '--ssh-config', f.sshConfig, ...args], { env, stdio: 'ignore' });
      c.on('exit', (code) => (code === 0 ? res() : rej(new Error(`linger ${args.join(' ')} exited ${code}`))));
    });
    for (let i = 0; i < R; i++) {
      allT.push(timeSync(() => cli(['ls', '--hosts', 'all', '--json'])));
      for (const h of hosts) (single[h] ??= []).push(timeSync(() => cli(['--host', h, 'ls', '--json'])));
      const t = now(); await Promise.all(hosts.map((h) => cliAsync(['--host', h, 'ls', '--json']))); parT.push(now() - t);
    }
    const slowest = Math.max(...Object.values(single).map(median));
    const slowHost = Object.entries(single).find(([, v]) => median(v) === slowest)?.[0];
    out.push(`### \`linger ls --hosts all\` over ${f.hosts.length} hosts vs the slowest single \`linger --host H ls\` (goal ≤ 1.5×)`, '',
      `Median of ${R}, whole CLI processes, ssh masters warm (each CLI run still starts one agent per host over its master). h3 has no Node: it answers "no Node.js" at probe time. All rig hosts share this machine's CPUs, so ${hosts.length} remote agents starting at once compete for them; the last column starts the ${hosts.length} single-host CLIs at once, the floor of running them in parallel here.`, '',
      '| `ls --hosts all` | slowest single host | fastest single host | ratio (all / slowest) | the single-host CLIs all at once | ratio (all / that) |', '|---|---|---|---|---|---|',
      `| ${ms(median(allT))} | ${ms(slowest)} (${slowHost}) | ${ms(Math.min(...Object.values(single).map(median)))} | ${ratio(median(allT), slowest)} | ${ms(median(parT))} | ${ratio(median(allT), median(parT))} |`, '');

    // 3. First contact including the copy of the agent, vs a plain ssh handshake.
    log('first contact vs ssh host true');
    const first: number[] = [], hand: number[] = [];
    for (const h of ['h5', 'h6', 'h7', 'h8']) {
      spawnSync('ssh', ['-F', f.sshConfig, '-S', 'none', h, 'rm -rf ~/.local/share/linger'], { stdio: 'ignore' });
      spawnSync('ssh', ['-F', f.sshConfig, '-o', `ControlPath=${ssh.controlDir}/%C`, '-O', 'exit', h], { stdio: 'ignore' });
      hand.push(timeSync(() => spawnSync('ssh', ['-F', f.sshConfig, '-S', 'none', h, 'true'])));
      const fresh = mkPool();
      const t = now(); await fresh.request(h, 'linger/list', {}); first.push(now() - t);
      await fresh.dispose();
    }
    const size = loadBundle().sizes.reduce((a, b) => a + b, 0);
    out.push('### First contact (handshake, probe, agent copy, agent start, initialize, one list) vs a plain `ssh host true`', '',
      `Median over h5–h8, each with no agent installed and no master. The bundle copied is ${(size / 1024).toFixed(0)} KiB (${BUNDLE_FILES.join(', ')}; not minified).`, '',
      '| first contact | `ssh -S none host true` | ratio |', '|---|---|---|',
      `| ${ms(median(first))} | ${ms(median(hand))} | ${ratio(median(first), median(hand))} |`, '');

    // 4. Memory: this process before and after connecting every host; the ssh clients beside it.
    log('memory per connected host');
    await p.dispose();
    global.gc?.();
    const m = mkPool();
    await m.request('h1', 'linger/list', {}); // modules and the bundle checksum loaded
    global.gc?.();
    const before = process.memoryUsage();
    await Promise.all(hosts.map((h) => m.request(h, 'linger/list', {})));
    global.gc?.();
    const after = process.memoryUsage();
    const extra = hosts.length - 1;
    const sshPids = spawnSync('pgrep', ['-f', `ControlPath=${ssh.controlDir}`], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
    const sshRss = sshPids.map(rssKiB);
    out.push('### Local memory per connected host', '',
      `This process with h1 connected, then with all ${hosts.length} reachable hosts connected (${extra} more), after a GC${global.gc ? '' : ' (no --expose-gc: numbers include garbage)'}. Each connection is also an ssh client process (and a master when ControlPersist starts one), outside Node's heap.`, '',
      '| heapUsed with 1 host → all | per extra host | RSS per extra host | ssh processes | their RSS, median each |', '|---|---|---|---|---|',
      `| ${(before.heapUsed / 1048576).toFixed(1)} → ${(after.heapUsed / 1048576).toFixed(1)} MiB | ${((after.heapUsed - before.heapUsed) / extra / 1024).toFixed(0)} KiB | ${((after.rss - before.rss) / extra / 1024).toFixed(0)} KiB | ${sshPids.length} | ${median(sshRss).toFixed(0)} KiB |`, '');
    await m.dispose({ exitMasters: true });
  } finally {
    await pool?.dispose().catch(() => {});
    if (fleet) await fleet.down();
    cleanupHome(home);
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => { process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`); process.exit(1); });
