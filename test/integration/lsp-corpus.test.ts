// Real-world configs through the real server: for every file of the shared corpus
// (../shared/corpus, with OpenSSH 9.2p1's verdict in MANIFEST.tsv) the server publishes an
// error-severity diagnostic exactly when OpenSSH refused the file for a config reason, and every
// range lies inside the document. Files refused only for machine reasons (`env`) are skipped.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { ROOT, startServer, type LspSession } from './lsp-harness';

const CORPUS = process.env.LINGER_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
const MANIFEST = path.join(CORPUS, 'MANIFEST.tsv');

let s: LspSession;
before(async () => { if (existsSync(MANIFEST)) s = await startServer(); });
after(async () => { await s?.close(); });

test('LSP diagnostics agree with OpenSSH on the real-world corpus', { skip: existsSync(MANIFEST) ? false : `no corpus at ${CORPUS}` }, async () => {
  const [header, ...rows] = readFileSync(MANIFEST, 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const col = (name: string): number => header.indexOf(name);
  const disagree: string[] = [];
  let checked = 0;
  for (const r of rows) {
    const file = r[col('file')];
    const kind = r[col('kind_of_config')];
    const verdict = r[col('oracle_kind')];
    if (verdict === 'env') continue;
    const abs = path.join(CORPUS, file);
    const text = readFileSync(abs, 'latin1');
    const uri = pathToFileURL(abs).toString();
    s.open(uri, kind === 'sshd' ? 'sshd_config' : 'ssh_config', text, 1);
    const p = await s.waitDiagnostics(uri, (x) => x.version === 1, 20_000);
    const lines = text.split(/\r\n|\r|\n/);
    for (const d of p.diagnostics) {
      assert.ok(d.range.start.line < lines.length && d.range.end.line < lines.length, `${file}: range outside the document`);
      assert.ok(d.range.end.character <= lines[d.range.end.line].length, `${file}: range past the end of line ${d.range.end.line + 1}`);
      assert.equal(d.source, 'linger');
    }
    const refused = p.diagnostics.some((d) => d.severity === DiagnosticSeverity.Error);
    if (refused !== (verdict === 'syntax')) {
      disagree.push(`${file}: OpenSSH ${verdict} (${r[col('oracle_first_error')]}), we ${refused ? 'report errors' : 'report none'}`);
    }
    void s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    checked++;
  }
  process.stdout.write(`# corpus: ${checked - disagree.length}/${checked} files agree with OpenSSH\n`);
  assert.ok(checked > 100);
  assert.deepEqual(disagree, []);
});
