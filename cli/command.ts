// What every verb module under cli/commands/ provides, and the small output helpers they share.
import type { Engine } from '../core/jobs/engine';
import { UserError } from '../core/jobs/types';
import type { Parsed, VerbSpec } from './args';

export interface Command {
  spec: VerbSpec;
  /**
   * The verb hands its arguments on to a job: parseArgs also gets their exact bytes (rawArgv.ts),
   * read only then, and Parsed.raw carries them where some are not UTF-8.
   */
  takesRawArgv?: true;
  /** Resolves with the process exit status. */
  run(e: Engine, p: Parsed): Promise<number>;
}

const HELP = { kind: 'bool', short: 'h' } as const;
/** Every verb also takes --host H (run it on H's agent) and --ssh-config FILE (cli/main.ts). */
const HOST = { kind: 'string' } as const;
/** A verb's flags plus --help/-h, --host and --ssh-config, which every verb has. */
export function verbSpec(flags: VerbSpec['flags'], restAfterFirst = false): VerbSpec {
  return { flags: { ...flags, help: HELP, host: HOST, 'ssh-config': HOST }, ...(restAfterFirst ? { restAfterFirst } : {}) };
}

export const out = (s: string): void => { process.stdout.write(s.endsWith('\n') ? s : s + '\n'); };
export const tty = (): boolean => process.stderr.isTTY === true;

/** One progress line on a terminal's stderr (null clears it); nothing when stderr is not a tty. */
export function progress(msg: string | null): void {
  if (!tty()) return;
  process.stderr.write(msg === null ? '\r\x1b[K' : `\r\x1b[K${msg}`);
}

export function one(verb: string, p: Parsed): string {
  if (p.positionals.length !== 1) throw new UserError(`${verb}: expected exactly one job id (see: linger ${verb} --help)`);
  return p.positionals[0];
}
