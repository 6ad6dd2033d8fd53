// Rewrites the refusal table in core/sshconfig/README.md from test/integration/refusal-cases.ts
// (oracle-refusals.test.ts fails while the two differ). Run: node --import tsx scripts/refusal-table.ts

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { refusalTableMarkdown } from '../test/integration/refusal-cases';

const BEGIN = '<!-- refusal-table:begin -->';
const END = '<!-- refusal-table:end -->';
const readme = join(__dirname, '..', 'core', 'sshconfig', 'README.md');
const text = readFileSync(readme, 'utf8');
const a = text.indexOf(BEGIN);
const b = text.indexOf(END);
if (a < 0 || b < a) {
  process.stderr.write(`${readme}: no ${BEGIN} … ${END} section\n`);
  process.exit(1);
}
const next = `${text.slice(0, a + BEGIN.length)}\n${refusalTableMarkdown()}\n${text.slice(b)}`;
const tmp = `${readme}.tmp-${process.pid}`;
writeFileSync(tmp, next, { mode: 0o644 });
renameSync(tmp, readme);
