// The CLI's own arguments as exact bytes. Node decodes argv as UTF-8 and replaces bytes that are
// not UTF-8 with U+FFFD, which would alter what the job gets; the kernel still holds the bytes in
// /proc/self/cmdline. The user's arguments are its last elements (node's own options and the
// script path come first), and each must decode to the very string Node gave, or they are not
// trusted.
import { readFileSync } from 'node:fs';
import { UserError } from '../core/jobs/types';

/**
 * null when every argument is valid UTF-8 (the strings are exact); else the bytes of each of
 * `args` (process.argv.slice(2)). A UserError when they cannot be recovered: better than altered.
 */
export function rawArgv(args: string[], cmdline: () => Buffer = () => readFileSync('/proc/self/cmdline')): Buffer[] | null {
  const bad = args.findIndex((a) => a.includes('\uFFFD'));
  if (bad < 0) return null;
  const refuse = (why: string): never => {
    throw new UserError(`argument ${JSON.stringify(args[bad])} is not valid UTF-8 and its exact bytes cannot be read (${why}); refusing to alter it`);
  };
  let all: Buffer;
  try { all = cmdline(); } catch (e) { return refuse(`no /proc/self/cmdline: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`); }
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = all.indexOf(0); i >= 0; i = all.indexOf(0, from)) { parts.push(all.subarray(from, i)); from = i + 1; }
  if (from < all.length) parts.push(all.subarray(from));
  // At least node itself precedes the user's arguments.
  if (parts.length < args.length + 1) return refuse('the process command line is shorter than the arguments');
  const mine = parts.slice(parts.length - args.length);
  if (mine.some((b, i) => b.toString('utf8') !== args[i])) return refuse('the process command line does not match the arguments');
  return mine;
}
