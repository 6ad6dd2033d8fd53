// The line the server reads at the cursor (core's tokenizer, the one line model) and on-type
// formatting never touching values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { tokenizeLine as lexLine } from '../../core/sshconfig/tokenize';
import { onTypeFormatting } from '../../server/lsp/formatting';

test('keyword, = separator, quoted args, trailing comment', () => {
  const l = lexLine('  Banner = "/etc/issue net" # hi');
  assert.equal(l.keyword?.text, 'Banner');
  assert.equal(l.equals, 9);
  assert.deepEqual(l.args.map((a) => a.text), ['/etc/issue net']);
  assert.equal(l.commentStart, 28);
  assert.equal(lexLine('Port=22').keyword?.text, 'Port');
  assert.deepEqual(lexLine('Port=22').args.map((a) => a.text), ['22']);
  assert.equal(lexLine('# c').keyword, undefined);
  assert.equal(lexLine('').keyword, undefined);
});

test('tokenizeLine never throws and spans stay inside the line', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
    const l = lexLine(s);
    if (l.equals !== undefined) assert.ok(l.equals >= 0 && l.equals < s.length);
    for (const sp of [l.keyword, ...l.args]) {
      if (!sp) continue;
      assert.ok(sp.start >= 0 && sp.end <= s.length && sp.start <= sp.end);
    }
  }));
});

test('format-on-type only changes leading whitespace', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom('Match User a', 'Port 22', '  X11Forwarding no', '', '# c', 'Host x', '\tPermitTTY yes'), { maxLength: 12 }),
    fc.nat(), (lines, n) => {
      const text = lines.join('\n');
      const doc = TextDocument.create('untitled:x', 'sshd_config', 1, text);
      const line = lines.length ? n % lines.length : 0;
      for (const dialect of ['sshd', 'ssh'] as const) {
        const edits = onTypeFormatting(doc, dialect, { textDocument: { uri: doc.uri }, position: { line, character: 0 }, ch: '\n', options: { tabSize: 4, insertSpaces: true } });
        for (const e of edits) {
          assert.equal(e.range.start.character, 0);
          assert.equal(e.range.start.line, e.range.end.line);
          assert.match(doc.getText(e.range), /^[ \t]*$/);
          assert.match(e.newText, /^[ \t]*$/);
        }
      }
    }));
});
