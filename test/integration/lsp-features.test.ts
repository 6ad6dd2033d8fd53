// The language server over a real stdio LSP connection: diagnostics with OpenSSH's codes and
// ranges, hover, Match-aware completion, the did-you-mean quick fix, outline, folding, Include
// definition, keepalive inlay hints, format-on-type and incremental updates.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest, CompletionRequest, DefinitionRequest, DocumentOnTypeFormattingRequest, DocumentSymbolRequest,
  FoldingRangeRequest, HoverRequest, InlayHintRequest, TextDocumentSyncKind,
  type CompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol, type Location, type MarkupContent,
  type PublishDiagnosticsParams, type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { ListRequest } from '../../core/protocol';
import { startServer, type LspSession } from './lsp-harness';

const SSHD = [
  '# sshd_config for the LSP test',            // 0
  'Port 22',                                   // 1
  'PermitRootLogn no',                         // 2  unknown keyword (did you mean PermitRootLogin)
  'PasswordAuthentication no',                 // 3
  'PasswordAuthentication yes',                // 4  duplicate: the first value wins
  'ClientAliveInterval 0',                     // 5  keepalive off
  'ClientAliveCountMax 3',                     // 6
  '',                                          // 7
  'Match User alice',                          // 8
  '    X11Forwarding no',                      // 9
  '    TCPKeepAlive no',                       // 10 not allowed within a Match block
  '',                                          // 11
].join('\n');

function items(r: CompletionList | CompletionItem[] | null): CompletionItem[] {
  if (!r) return [];
  return Array.isArray(r) ? r : r.items;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (l: number, c: number): number => lines.slice(0, l).reduce((n, s) => n + s.length + 1, 0) + c;
  const sorted = [...edits].sort((a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offset(e.range.start.line, e.range.start.character)) + e.newText + out.slice(offset(e.range.end.line, e.range.end.character));
  }
  return out;
}

const msg = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));
const at = (p: PublishDiagnosticsParams, line: number): Diagnostic[] => p.diagnostics.filter((d) => d.range.start.line === line);

describe('sshd_config language features', () => {
  let s: LspSession;
  let dir: string;
  let uri: string;
  let first: PublishDiagnosticsParams;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'linger-lsp-'));
    uri = pathToFileURL(path.join(dir, 'sshd_config')).toString();
    s = await startServer({ env: { LINGER_HOME: path.join(dir, 'home') } });
    s.open(uri, 'sshd_config', SSHD, 1);
    first = await s.waitDiagnostics(uri, (p) => p.version === 1);
  });
  after(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('advertises incremental sync and the features', () => {
    const caps = s.initializeResult!.capabilities;
    const sync = caps.textDocumentSync;
    assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
    assert.ok(caps.hoverProvider && caps.completionProvider && caps.codeActionProvider && caps.documentSymbolProvider);
  });

  test('publishes diagnostics with codes, ranges and source', () => {
    for (const d of first.diagnostics) assert.equal(d.source, 'linger');
    const unknown = at(first, 2).find((d) => d.code === 'unknown-keyword');
    assert.ok(unknown, `unknown-keyword on line 3; got ${JSON.stringify(codes(first))}`);
    assert.deepEqual(unknown.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 'PermitRootLogn'.length } });
    assert.match(msg(unknown), /Bad configuration option: PermitRootLogn/);

    const dup = at(first, 4).find((d) => /duplicate/.test(String(d.code)));
    assert.ok(dup, `a duplicate diagnostic on line 5; got ${JSON.stringify(first.diagnostics.map((d) => [d.code, d.range.start.line]))}`);

    const notInMatch = at(first, 10).find((d) => d.code === 'not-in-match');
    assert.ok(notInMatch, 'not-in-match on line 11');
    assert.match(msg(notInMatch), /not allowed within a Match block/);
    assert.equal(notInMatch.range.start.character, 4);

    const ka = at(first, 5).find((d) => /keepalive/.test(String(d.code)));
    assert.ok(ka, `a keepalive diagnostic on ClientAliveInterval 0; got ${JSON.stringify(first.diagnostics.map((d) => [d.code, d.range.start.line]))}`);
    // Clean lines stay clean.
    assert.deepEqual(at(first, 1), []);
    assert.deepEqual(at(first, 9), []);
  });

  test('hover on ClientAliveInterval explains the keepalive', async () => {
    const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 3 } });
    assert.ok(h);
    const text = (h.contents as MarkupContent).value;
    assert.match(text, /ClientAliveInterval/);
    assert.match(text, /Keepalive:/);
    assert.ok(text.length > 80, text);
    const criterion = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 8, character: 7 } });
    assert.match((criterion!.contents as MarkupContent).value, /Match User/);
    const unknown = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 2 } });
    assert.match((unknown!.contents as MarkupContent).value, /PermitRootLogin/);
  });

  test('completion differs inside and outside a Match block', async () => {
    const outside = items(await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 7, character: 0 } }));
    const inside = items(await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 11, character: 0 } }));
    const names = (xs: CompletionItem[]): Set<string> => new Set(xs.map((i) => i.label));
    assert.ok(names(outside).has('Port'));
    assert.ok(names(outside).has('ClientAliveInterval'));
    assert.ok(!names(inside).has('Port'), 'Port is not allowed in Match');
    assert.ok(!names(inside).has('TCPKeepAlive'));
    assert.ok(names(inside).has('X11Forwarding'));
    assert.ok(names(inside).has('ClientAliveInterval'));
    assert.ok(inside.length < outside.length);

    const values = items(await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 9, character: 18 } }));
    assert.deepEqual(values.map((i) => i.label).sort(), ['no', 'yes']);
    const criteria = items(await s.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 8, character: 6 } }));
    assert.ok(criteria.some((i) => i.label === 'User') && criteria.some((i) => i.label === 'Address'));
  });

  test('document symbols: Match block with its directives', async () => {
    const syms = (await s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    const match = syms.find((x) => x.name === 'Match User alice');
    assert.ok(match, JSON.stringify(syms.map((x) => x.name)));
    assert.deepEqual(match.children?.map((c) => c.name), ['X11Forwarding', 'TCPKeepAlive']);
    assert.ok(syms.some((x) => x.name === 'Port'));
    const folds = await s.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    assert.ok(folds?.some((f) => f.startLine === 8 && f.endLine === 10));
  });

  test('inlay hint on keepalive lines', async () => {
    const hints = await s.conn.sendRequest(InlayHintRequest.type, {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } },
    });
    assert.ok(hints && hints.some((h) => h.position.line === 5), JSON.stringify(hints));
  });

  test('format-on-type indents a new line inside Match only', async () => {
    const inside = await s.conn.sendRequest(DocumentOnTypeFormattingRequest.type, {
      textDocument: { uri }, position: { line: 11, character: 0 }, ch: '\n', options: { tabSize: 4, insertSpaces: true },
    });
    assert.deepEqual(inside, [{ range: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } }, newText: '    ' }]);
    const outside = await s.conn.sendRequest(DocumentOnTypeFormattingRequest.type, {
      textDocument: { uri }, position: { line: 7, character: 0 }, ch: '\n', options: { tabSize: 4, insertSpaces: true },
    });
    assert.deepEqual(outside, []);
  });

  test('the did-you-mean quick fix applies, and an incremental change updates diagnostics', async () => {
    const diag = at(first, 2).find((d) => d.code === 'unknown-keyword')!;
    const actions = await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] },
    });
    const fix = actions?.find((a) => 'edit' in a && a.edit?.changes?.[uri]);
    assert.ok(fix && 'edit' in fix, JSON.stringify(actions));
    const edits = fix.edit!.changes![uri];
    const fixed = applyEdits(SSHD, edits);
    assert.match(fixed.split('\n')[2], /^PermitRootLogin no$/);

    // Send the fix as incremental edits, the way an editor would.
    s.change(uri, 2, edits.map((e) => ({ range: e.range, text: e.newText })));
    const after2 = await s.waitDiagnostics(uri, (p) => p.version === 2);
    assert.ok(!codes(after2).includes('unknown-keyword'), JSON.stringify(codes(after2)));

    // Typing inside the Match block: "TCPKeepAlive" → "Compression" removes not-in-match.
    s.change(uri, 3, [{ range: { start: { line: 10, character: 4 }, end: { line: 10, character: 16 } }, text: 'PermitTTY' }]);
    const after3 = await s.waitDiagnostics(uri, (p) => p.version === 3);
    assert.ok(!codes(after3).includes('not-in-match'), JSON.stringify(codes(after3)));
    // And a new unknown keyword appears where typed.
    s.change(uri, 4, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } }, text: 'Prot' }]);
    const after4 = await s.waitDiagnostics(uri, (p) => p.version === 4);
    assert.ok(at(after4, 1).some((d) => d.code === 'unknown-keyword'));
  });

  test('go to definition on Include opens the resolved files', async () => {
    writeFileSync(path.join(dir, 'a.conf'), 'PermitTTY no\n');
    writeFileSync(path.join(dir, 'b.conf'), 'X11Forwarding no\n');
    const incUri = pathToFileURL(path.join(dir, 'with-include')).toString();
    s.open(incUri, 'sshd_config', `Include ${dir}/*.conf\nPort 22\n`, 1);
    await s.waitDiagnostics(incUri, (p) => p.version === 1);
    const locs = (await s.conn.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: incUri }, position: { line: 0, character: 10 },
    })) as Location[] | null;
    assert.deepEqual(locs?.map((l) => path.basename(new URL(l.uri).pathname)).sort(), ['a.conf', 'b.conf']);
  });
});

describe('over node IPC (the extension\'s transport)', () => {
  test('initialize, diagnostics and a linger/* request', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'linger-ipc-'));
    const s = await startServer({ transport: 'node-ipc', env: { LINGER_HOME: home } });
    try {
      const uri = 'untitled:ipc-sshd';
      s.open(uri, 'sshd_config', 'PermitRootLogn no\n', 1);
      const p = await s.waitDiagnostics(uri, (x) => x.version === 1);
      assert.equal(p.diagnostics[0]?.code, 'unknown-keyword');
      const list = await s.conn.sendRequest(ListRequest, {});
      assert.deepEqual(list.jobs, []);
    } finally {
      await s.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('ssh_config language features', () => {
  let s: LspSession;
  before(async () => { s = await startServer(); });
  after(async () => { await s?.close(); });

  test('dialect comes from the language id', async () => {
    const uri = 'untitled:ssh-config-test';
    s.open(uri, 'ssh_config', 'Host example\n    ServerAliveInterval 15\n    ForwardAgnt yes\n', 1);
    const p = await s.waitDiagnostics(uri, (x) => x.version === 1);
    assert.ok(at(p, 2).some((d) => d.code === 'unknown-keyword'), JSON.stringify(p.diagnostics));
    assert.deepEqual(at(p, 1).filter((d) => d.severity === 1), []);
    const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 6 } });
    assert.match((h!.contents as MarkupContent).value, /ServerAliveInterval/);
  });
});

describe('large document: edits (incremental fast path) stay exact', () => {
  let s: LspSession;
  before(async () => { s = await startServer({ env: { LINGER_DEBUG: '1' } }); });
  after(async () => { await s?.close(); });

  test('value edits in a 20k-line file publish the same diagnostics a fresh open does', async () => {
    // One error up front: sshd's post-parse checks (which span lines) then stay off either way,
    // so typing a bad value and fixing it can take the fast path.
    const lines = ['Port 22', 'ClientAliveInterval 30', 'FooBar 1'];
    for (let i = 0; lines.length < 20_000; i++) lines.push(`Match User u${i}`, '    X11Forwarding no', '    PermitTTY yes', '');
    const bad = 10_001; // a "    PermitTTY yes" line
    assert.match(lines[bad], /PermitTTY/);
    const text = lines.join('\n');
    const uri = 'untitled:big-sshd';
    s.open(uri, 'sshd_config', text, 1);
    const v1 = await s.waitDiagnostics(uri, (p) => p.version === 1, 30_000);
    assert.deepEqual(v1.diagnostics.map((d) => [d.code, d.range.start.line]), [['unknown-keyword', 2]]);
    // Type a bad value, then fix it: only that line changes.
    const col = lines[bad].length;
    s.change(uri, 2, [{ range: { start: { line: bad, character: col - 3 }, end: { line: bad, character: col } }, text: 'maybe' }]);
    const v2 = await s.waitDiagnostics(uri, (p) => p.version === 2, 30_000);
    assert.deepEqual(v2.diagnostics.map((d) => [d.severity, d.range.start.line]), [[1, 2], [1, bad]]);
    // The same text opened fresh gives the same diagnostics (full analysis).
    const fresh = 'untitled:big-sshd-fresh';
    s.open(fresh, 'sshd_config', [...lines.slice(0, bad), lines[bad].slice(0, col - 3) + 'maybe', ...lines.slice(bad + 1)].join('\n'), 1);
    const f = await s.waitDiagnostics(fresh, (p) => p.version === 1, 30_000);
    assert.deepEqual(v2.diagnostics, f.diagnostics);
    s.change(uri, 3, [{ range: { start: { line: bad, character: col - 3 }, end: { line: bad, character: col + 2 } }, text: 'yes' }]);
    const v3 = await s.waitDiagnostics(uri, (p) => p.version === 3, 30_000);
    assert.deepEqual(v3.diagnostics, v1.diagnostics);
    // Enter at the end of line 2 (a new blank line): everything below moves down one line.
    s.change(uri, 4, [{ range: { start: { line: 1, character: lines[1].length }, end: { line: 1, character: lines[1].length } }, text: '\n' }]);
    const v4 = await s.waitDiagnostics(uri, (p) => p.version === 4, 30_000);
    assert.deepEqual(v4.diagnostics.map((d) => [d.code, d.range.start.line]), [['unknown-keyword', 3]]);
    // Backspace removes it again.
    s.change(uri, 5, [{ range: { start: { line: 1, character: lines[1].length }, end: { line: 2, character: 0 } }, text: '' }]);
    const v5 = await s.waitDiagnostics(uri, (p) => p.version === 5, 30_000);
    assert.deepEqual(v5.diagnostics, v1.diagnostics);
    // Every edit went through the fast path (LINGER_DEBUG logs each analysis).
    for (const v of [2, 3, 4, 5]) assert.match(s.stderr(), new RegExp(`big-sshd v${v}: fast path`));
  });
});
