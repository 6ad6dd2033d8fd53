// Runs one config line through the table validators, as the oracle tests compare them with OpenSSH.
import assert from 'node:assert/strict';
import { lookupKeyword } from '../../core/sshconfig/keywords/index';
import { validateArgs, validateMatch, type ValueProblem } from '../../core/sshconfig/values';
import type { Dialect, Token } from '../../core/sshconfig/types';

/** Minimal tokenizer for the test lines (no `=` form, double quotes only). */
export function splitTestLine(line: string): { keyword: string; args: Token[] } {
  const toks: Token[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    toks.push({ text: m[1] ?? m[2]!, start: m.index, end: m.index + m[0].length, quoted: m[1] !== undefined });
  }
  const [kw, ...args] = toks;
  return { keyword: kw!.text, args };
}

export function checkLine(dialect: Dialect, line: string): ValueProblem | null {
  const { keyword, args } = splitTestLine(line);
  if (keyword.toLowerCase() === 'match') return validateMatch(dialect, args);
  const spec = lookupKeyword(dialect, keyword);
  assert.ok(spec, `no spec for ${keyword}`);
  return validateArgs(dialect, spec, args, keyword);
}
