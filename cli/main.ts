// `linger` CLI entry. Contract: exit 0 ok, 1 on user error with ONE line on stderr (stack traces
// only with LINGER_DEBUG=1). One module per verb under commands/; lint is a bundle of its own,
// loaded only for `linger lint`, so the job verbs stay on a lean import path.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../core/jobs/engine';
import { writeAtomic } from '../core/jobs/fsafe';
import { assertNever } from '../core/jobs/state';
import { UserError } from '../core/jobs/types';
import { parseArgs } from './args';
import { rawArgv } from './rawArgv';
import { out, type Command } from './command';
import { USAGE, mainUsage } from './help';
import { termSafeText } from './escape';
import { attach } from './commands/attach';
import { doctor } from './commands/doctor';
import { group } from './commands/group';
import { kill } from './commands/kill';
import { logs } from './commands/logs';
import { ls } from './commands/ls';
import { restart } from './commands/restart';
import { rm } from './commands/rm';
import { run } from './commands/run';
import { show } from './commands/show';
import { wait } from './commands/wait';
import { installCliVerb } from './commands/installCli';
import type { HostsCall } from './hostsEntry';
import { sshConfigFileFrom } from '../core/hosts/setup';
import { validHostName } from '../core/hosts/sshArgv';

const VERBS = ['run', 'ls', 'show', 'logs', 'attach', 'wait', 'kill', 'rm', 'restart', 'group', 'doctor', 'install-cli'] as const;
type Verb = typeof VERBS[number];

function isVerb(v: string): v is Verb { return (VERBS as readonly string[]).includes(v); }

/** Exhaustive: a verb added to VERBS without a module does not compile. */
function command(verb: Verb): Command {
  switch (verb) {
    case 'run': return run;
    case 'ls': return ls;
    case 'show': return show;
    case 'logs': return logs;
    case 'attach': return attach;
    case 'wait': return wait;
    case 'kill': return kill;
    case 'rm': return rm;
    case 'restart': return restart;
    case 'group': return group;
    case 'doctor': return doctor;
    case 'install-cli': return installCliVerb;
    default: return assertNever(verb);
  }
}

/**
 * A part of the CLI built as a bundle of its own (dist/NAME.js), loaded only by the verbs that
 * need it so the job verbs start fast; from source (tsx) the module itself. Both paths are
 * non-literal on purpose: esbuild must not pull them into this bundle.
 */
async function loadPart<T>(bundle: string, source: string, what: string): Promise<T> {
  const bundled = join(__dirname, bundle);
  const target = existsSync(bundled) ? bundled : join(__dirname, source);
  try { return (await import(pathToFileURL(target).href)) as T; } catch (e) { if (process.env.LINGER_DEBUG === '1') console.error(e); throw new UserError(`${what} is not available in this build`); }
}

async function cmdLint(args: string[]): Promise<number> {
  // lint: the keyword tables and the analysis never slow down the start-up of the job verbs.
  const mod = await loadPart<{ lint?: (a: string[]) => Promise<number> }>('linger-lint.js', join('commands', 'lint.ts'), 'lint');
  if (typeof mod.lint !== 'function') throw new UserError('lint is not available in this build');
  return mod.lint(args);
}

/** `linger [--host H] [--ssh-config FILE] VERB …`: the options that come before the verb. */
function globalOptions(argv: string[]): { host?: string; sshConfig?: string; rest: string[] } {
  const g: { host?: string; sshConfig?: string } = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const m = /^--(host|ssh-config)(?:=(.*))?$/s.exec(argv[i]!);
    if (!m) break;
    const v = m[2] ?? argv[++i];
    if (v === undefined) throw new UserError(`option --${m[1]} needs a value`);
    if (m[1] === 'host') g.host = v; else g.sshConfig = v;
  }
  return { ...g, rest: argv.slice(i) };
}

/** rawOf: the exact bytes of argv (see rawArgv.ts), asked for only by the verb that passes them on. */
export async function main(argvIn: string[], rawOf: () => Buffer[] | null = () => null): Promise<number> {
  const g = globalOptions(argvIn);
  const argv = g.rest;
  const skipped = argvIn.length - argv.length;
  const verb = argv[0];
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') { out(mainUsage()); return verb ? 0 : 1; }
  if (verb === '--version' || verb === '-V') { out('linger 0.1.0'); return 0; }
  if (verb === 'lint') return cmdLint(argv.slice(1));
  // Run by a job's wrapper once the job ended (core/jobs/README.md, Queue); also by hand.
  if (verb === '__advance') return advanceVerb();
  if (!isVerb(verb)) throw new UserError(`unknown command '${verb}' (see: linger --help)`);
  const cmd = command(verb);
  const p = parseArgs(verb, argv.slice(1), cmd.spec, cmd.takesRawArgv ? rawOf()?.slice(skipped + 1) : undefined);
  if (p.flags.help) { out(USAGE[verb]); return 0; }
  const host = (p.flags.host as string | undefined) ?? g.host;
  const configFile = sshConfigFileFrom((p.flags['ssh-config'] as string | undefined) ?? g.sshConfig);
  const allHosts = verb === 'ls' && (p.flags['all-hosts'] === true || p.flags.hosts !== undefined);
  if (allHosts && p.flags.hosts !== undefined && p.flags.hosts !== 'all') throw new UserError(`ls: --hosts takes 'all', got '${p.flags.hosts as string}' (one host: linger --host H ls)`);
  if (allHosts && host !== undefined) throw new UserError('ls: --hosts all and --host exclude each other');
  if (host !== undefined && !validHostName(host)) throw new UserError(`--host: not a usable ssh host name: '${host}'`);
  if (host === undefined) {
    const engine = new Engine();
    // Whatever the verb, a queue left waiting (a reboot; an advance that never ran) moves on now.
    // One readdir when nothing is queued; a problem here is the queue's, never the verb's.
    if (verb !== 'run' && verb !== 'group') { try { await engine.advance(); } catch { /* the verb still runs */ } }
    if (!allHosts) return cmd.run(engine, p);
  }
  const mod = await loadPart<{ hostsMain?: (c: HostsCall) => Promise<number> }>('linger-hosts.js', 'hostsEntry.ts', 'other hosts (--host, --hosts all)');
  if (typeof mod.hostsMain !== 'function') throw new UserError('other hosts (--host, --hosts all) are not available in this build');
  return mod.hostsMain({ verb, p, host: host ?? null, configFile });
}

/** Advance the queue; a failure is kept in HOME/queue/advance-error (no one sees a wrapper's stderr). */
async function advanceVerb(): Promise<number> {
  const e = new Engine();
  try { await e.advance(); return 0; } catch (err) {
    try { writeAtomic(join(e.home, 'queue', 'advance-error'), `${new Date().toISOString()} ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`); } catch { /* nowhere to say it */ }
    throw err;
  }
}

function fail(e: unknown): number {
  const debug = process.env.LINGER_DEBUG === '1';
  if (debug && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  else {
    const err = e as NodeJS.ErrnoException;
    const msg = e instanceof UserError ? e.message : err && err.message ? err.message.split('\n')[0] : String(e);
    // Messages quote what the user typed (ids, names, paths): one line, nothing for the terminal.
    process.stderr.write(`linger: ${termSafeText(msg.replace(/^linger: /, ''))}\n`);
  }
  return 1;
}

if (require.main === module) {
  process.on('uncaughtException', (e) => { process.exitCode = fail(e); process.exit(); });
  const args = process.argv.slice(2);
  main(args, () => rawArgv(args)).then(
    (code) => { process.exitCode = code; },
    (e) => { process.exitCode = fail(e); },
  );
}
