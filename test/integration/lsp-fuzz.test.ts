// Malformed input never crashes or hangs the server: random bytes, huge lines, deep nesting of
// Match blocks, NULs and lone surrogates, each opened and edited, with requests at random
// positions. Time-bounded; afterwards the server must still answer and publish diagnostics.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  CompletionRequest, DocumentSymbolRequest, FoldingRangeRequest, HoverRequest, InlayHintRequest,
  CodeActionRequest, DocumentOnTypeFormattingRequest, DefinitionRequest, ResponseError,
} from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession } from './lsp-harness';

const BUDGET_MS = Number(process.env.LINGER_FUZZ_MS ?? 15_000);

/** Small deterministic PRNG so a failure can be replayed with LINGER_FUZZ_SEED. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x1_0000_0000; };
}

const PIECES = ['Match', 'Host', 'Include', 'ClientAliveInterval', 'Port', '=', '"', '#', ' ', '\t', '\n', '\r\n', '\r',
  'all', 'User', '!', '*', '%h', '${HOME}', '1m30s', 'yes', 'no', '\u0000', '\ud800', '💥', ',', 'Address', '0'];

function randomDoc(r: () => number): string {
  switch (Math.floor(r() * 6)) {
    case 0: return randomBytes(Math.floor(r() * 20_000)).toString('latin1');
    case 1: return randomBytes(Math.floor(r() * 20_000)).toString('utf8');
    case 2: return `Port ${'9'.repeat(200_000 + Math.floor(r() * 300_000))}\n${'x'.repeat(300_000)} ${'"'.repeat(50_000)}\n`;
    case 3: return Array.from({ length: 2000 }, (_, i) => `Match User u${i}\n Include ${'*'.repeat(i % 50)}/x\n`).join('');
    case 4: return Array.from({ length: 3000 }, () => PIECES[Math.floor(r() * PIECES.length)]).join('');
    default: return `${'='.repeat(100_000)}\n${'\t'.repeat(100_000)}#\n${'Match '.repeat(20_000)}\n`;
  }
}

let s: LspSession;
before(async () => { s = await startServer(); });
after(async () => { await s?.close(); });

test('random and pathological documents never kill or hang the server', async () => {
  const seed = Number(process.env.LINGER_FUZZ_SEED ?? Date.now() % 1_000_000);
  const r = rng(seed);
  const end = Date.now() + BUDGET_MS;
  let rounds = 0;
  while (Date.now() < end) {
    const uri = `untitled:fuzz-${rounds}`;
    const lang = r() < 0.5 ? 'sshd_config' : 'ssh_config';
    const text = randomDoc(r);
    s.open(uri, lang, text, 1);
    const lines = text.split('\n').length;
    const pos = () => ({ line: Math.floor(r() * (lines + 3)), character: Math.floor(r() * 500) });
    // Incremental edits at random (even out-of-range) positions.
    s.change(uri, 2, [{ range: { start: pos(), end: pos() }, text: PIECES[Math.floor(r() * PIECES.length)].repeat(1 + Math.floor(r() * 5)) }]);
    const td = { uri };
    const requests: Array<Promise<unknown>> = [
      s.conn.sendRequest(HoverRequest.type, { textDocument: td, position: pos() }),
      s.conn.sendRequest(CompletionRequest.type, { textDocument: td, position: pos() }),
      s.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: td }),
      s.conn.sendRequest(FoldingRangeRequest.type, { textDocument: td }),
      s.conn.sendRequest(DefinitionRequest.type, { textDocument: td, position: pos() }),
      s.conn.sendRequest(InlayHintRequest.type, { textDocument: td, range: { start: pos(), end: pos() } }),
      s.conn.sendRequest(CodeActionRequest.type, { textDocument: td, range: { start: pos(), end: pos() }, context: { diagnostics: [] } }),
      s.conn.sendRequest(DocumentOnTypeFormattingRequest.type, { textDocument: td, position: pos(), ch: '\n', options: { tabSize: 4, insertSpaces: true } }),
    ];
    // Each request either answers or fails as an LSP error; neither may take longer than 10 s.
    const settled = await Promise.race([
      Promise.allSettled(requests),
      new Promise<'hang'>((res) => setTimeout(() => res('hang'), 10_000)),
    ]);
    assert.notEqual(settled, 'hang', `server hung (seed ${seed}, round ${rounds})`);
    for (const x of settled as PromiseSettledResult<unknown>[]) {
      if (x.status === 'rejected') assert.ok(x.reason instanceof ResponseError, `seed ${seed}: ${String(x.reason)}`);
    }
    assert.ok(!s.isExited, `server died (seed ${seed}, round ${rounds}); stderr:\n${s.stderr().slice(-2000)}`);
    s.conn.sendNotification('textDocument/didClose', { textDocument: td }).catch(() => undefined);
    rounds++;
  }
  assert.ok(rounds > 0);

  // Still healthy: a normal document gets its diagnostics and a hover.
  const uri = 'untitled:after-fuzz';
  s.open(uri, 'sshd_config', 'PermitRootLogn no\nClientAliveInterval 30\n', 1);
  const p = await s.waitDiagnostics(uri, (x) => x.version === 1, 10_000);
  assert.ok(p.diagnostics.some((d) => d.code === 'unknown-keyword'));
  const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } });
  assert.ok(h);
  process.stdout.write(`# fuzz: ${rounds} rounds, seed ${seed}\n`);
});

test('Include of devices, /proc and whole trees neither blocks nor hangs the server', async () => {
  const uri = 'file:///tmp/linger-include-fuzz/sshd_config';
  const t0 = Date.now();
  // (Included files are read like sshd would; a fatal error in one stops the reading, so the
  // checked line comes first.)
  s.open(uri, 'sshd_config', 'PermitRootLogn no\nPort 22\nInclude /dev/*\nInclude /proc/*/*\nInclude /*/*/*\n', 1);
  const p = await s.waitDiagnostics(uri, (x) => x.version === 1, 30_000);
  assert.ok(p.diagnostics.some((d) => d.code === 'unknown-keyword' && d.range.start.line === 0), JSON.stringify(p.diagnostics.slice(0, 5)));
  const h = await s.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 1 } });
  assert.ok(h);
  process.stdout.write(`# include stress answered in ${Date.now() - t0} ms\n`);
});
