// The server reads lines the way the analysis does (core/sshconfig tokenize.ts): outline and
// folding see OpenSSH's tokens (argv_split unescapes, single quotes group) and OpenSSH's lines
// (a lone CR is whitespace, not a line break).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentSymbol } from 'vscode-languageserver/node';
import { documentSymbols } from '../../server/lsp/symbols';
import { foldingRanges } from '../../server/lsp/folding';
import { analyze } from '../../core/sshconfig/index';
import { analyzeDocumentLines } from '../../server/lsp/analysis';

function outline(text: string, dialect: 'sshd' | 'ssh'): DocumentSymbol[] {
  const doc = TextDocument.create('untitled:x', `${dialect}_config`, 1, text);
  return documentSymbols(doc, dialect, true, analyzeDocumentLines(doc, dialect).lines) as DocumentSymbol[];
}

test('outline details are the arguments as OpenSSH splits them', () => {
  const syms = outline("LocalCommand echo a\\\\b 'c d'\nHost x\n  User 'me'\n", 'ssh');
  assert.equal(syms[0]!.detail, 'echo a\\b c d');
  assert.equal(syms[1]!.children![0]!.detail, 'me');
});

test('a lone CR does not start a line: outline and folding agree with the analysis', () => {
  const text = 'Port 22\rMatch User a\n  X11Forwarding no\n  PermitTTY no\n';
  const a = analyze(text, { dialect: 'sshd', file: '/etc/ssh/sshd_config', noIncludes: true });
  const syms = outline(text, 'sshd');
  // Line 0 is one directive for OpenSSH ("Port" with arguments "22\rMatch User a").
  assert.equal(a.blocks.length, 1);
  assert.equal(syms.length, 3);
  assert.deepEqual(syms.map((s) => s.name), ['Port', 'X11Forwarding', 'PermitTTY']);
  const doc = TextDocument.create('untitled:x', 'sshd_config', 1, text);
  assert.deepEqual(foldingRanges('sshd', analyzeDocumentLines(doc, 'sshd').lines), []);
});
