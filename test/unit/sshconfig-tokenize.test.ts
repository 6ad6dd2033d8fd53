// Tokenizer: OpenSSH 9.2p1 misc.c strdelim / argv_split and the line handling of
// servconf.c/readconf.c, with exact columns.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argvSplit, matchTokens, splitLine, strdelim } from '../../core/sshconfig/tokenize';

function directive(line: string) {
  const s = splitLine(line);
  assert.equal(s.kind, 'directive', `${JSON.stringify(line)} → ${s.kind}`);
  if (s.kind !== 'directive') throw new Error('unreachable');
  const a = argvSplit(line, s.restStart, s.end);
  return { kw: s.keyword, args: a.args.map((t) => t.text), tokens: a.args, argv: a };
}

test('keyword/value separators: space, tab, one "=", "=" with spaces', () => {
  for (const l of ['ClientAliveInterval 5', 'ClientAliveInterval\t5', 'ClientAliveInterval=5', 'ClientAliveInterval = 5', 'ClientAliveInterval =5', 'ClientAliveInterval= 5', '  ClientAliveInterval 5', '\tClientAliveInterval  \t 5']) {
    const d = directive(l);
    assert.equal(d.kw.text, 'ClientAliveInterval', l);
    assert.deepEqual(d.args, ['5'], l);
  }
  // Only one '=' is a separator: the second becomes part of the value, as in OpenSSH.
  assert.deepEqual(directive('MaxAuthTries==4').args, ['=4']);
  assert.deepEqual(directive('MaxAuthTries = = 4').args, ['=', '4']);
});

test('keyword columns are exact', () => {
  const d = directive('  PermitRootLogin   no');
  assert.deepEqual([d.kw.start, d.kw.end], [2, 17]);
  assert.deepEqual([d.tokens[0]!.start, d.tokens[0]!.end], [20, 22]);
});

test('trailing whitespace, CR and form feed are stripped', () => {
  assert.deepEqual(directive('Port 22   ').args, ['22']);
  assert.deepEqual(directive('Port 22\r').args, ['22']);
  assert.deepEqual(directive('Port 22\f\f').args, ['22']);
  assert.equal(splitLine('Port \r').kind, 'noarg');
});

test('comments: "#" at the start of a line or of a token; inside a token it is text', () => {
  assert.equal(splitLine('# PermitRootLogin yes').kind, 'comment');
  assert.equal(splitLine('   #x').kind, 'comment');
  assert.equal(splitLine('#').kind, 'comment');
  const d = directive('MaxAuthTries 4 # four');
  assert.deepEqual(d.args, ['4']);
  assert.equal(d.argv.commentStart, 15);
  assert.deepEqual(directive('MaxAuthTries 4#x').args, ['4#x']);
  assert.deepEqual(directive('MaxAuthTries #4').args, []);
});

test('quotes group, are stripped, and may sit inside a token; escapes', () => {
  assert.deepEqual(directive('Banner "/etc/issue net"').args, ['/etc/issue net']);
  assert.deepEqual(directive("Banner '/etc/a b'").args, ['/etc/a b']);
  assert.deepEqual(directive('AllowUsers a"b c"d e').args, ['ab cd', 'e']);
  assert.deepEqual(directive('Banner a\\ b').args, ['a b']);
  assert.deepEqual(directive('Banner "a\\"b"').args, ['a"b']);
  assert.deepEqual(directive('Banner a\\xb').args, ['a\\xb']);
  assert.deepEqual(directive('MaxAuthTries ""').args, ['']);
  const t = directive('Banner "x y"').tokens[0]!;
  assert.equal(t.quoted, true);
  assert.deepEqual([t.start, t.end], [7, 12]);
});

test('unterminated quote in the value → invalid quotes (position of the token)', () => {
  const d = directive('Banner "/etc/issue.net');
  assert.equal(d.argv.badQuoteAt, 7);
  assert.equal(directive("Banner ok 'x").argv.badQuoteAt, 10);
});

test('keyword forms: quoted keyword, unterminated quote in the keyword (line skipped), no argument', () => {
  assert.equal(directive('"Port" 2225').kw.text, 'Port');
  assert.equal(directive('Po"rt" 2225').kw.text, 'Port');
  assert.equal(splitLine('"Port 2225').kind, 'skipped');
  const s = splitLine('ClientAliveInterval');
  assert.equal(s.kind, 'noarg');
  assert.equal(splitLine('').kind, 'blank');
  assert.equal(splitLine(' \t \r').kind, 'blank');
  assert.equal(directive('=MaxAuthTries 4').kw.text, 'MaxAuthTries');
});

test('strdelim returns null on an unterminated quote and -1 when nothing follows', () => {
  assert.equal(strdelim('a"b', 0, 3), null);
  assert.deepEqual(strdelim('abc', 0, 3), { token: { text: 'abc', start: 0, end: 3, quoted: false }, next: -1 });
});

test('Match criteria are split with strdelim ("=" separates, "#" ends)', () => {
  const line = 'Match User=root Address 10.0.0.0/8 # c';
  const s = splitLine(line);
  assert.equal(s.kind, 'directive');
  if (s.kind !== 'directive') return;
  assert.deepEqual(matchTokens(line, s.restStart, s.end).map((t) => t.text), ['User', 'root', 'Address', '10.0.0.0/8']);
});
