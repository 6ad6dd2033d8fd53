// The language server's incremental analysis must publish exactly what a full analysis of the
// same text gives: random documents, random single-line edits, fast path vs analyze().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { keywordsFor } from '../../core/sshconfig/keywords/index';
import { analyzeDocument, analyzeDocumentLines, type DocLines } from '../../server/lsp/analysis';
import { diagKey, IncrementalAnalyses } from '../../server/lsp/incremental';

const SSHD_LINES = [
  'Port 22', 'PermitRootLogin no', 'PermitRootLogin yes', 'PermitRootLogn no', 'PasswordAuthentication no',
  'PasswordAuthentication yes', 'X11Forwarding maybe', 'X11Forwarding no', '  PermitTTY yes', '  PermitTTY nope',
  'ClientAliveInterval 0', 'ClientAliveInterval 1m30s', 'ClientAliveCountMax 0', 'TCPKeepAlive no', 'Banner "/etc/x',
  'Match User alice', 'Match User alice  # same scope', 'Match all', 'Match Address 10.0.0.0/8', 'Match Bogus x',
  '', '# comment', 'UsePrivilegeSeparation yes', 'Protocol 2', 'MaxSessions 4', 'MaxSessions -1', 'AllowUsers a b',
  'ChannelTimeout session=5m', 'Subsystem sftp internal-sftp', 'AuthorizedKeysFile .ssh/a .ssh/b', 'Port',
  'DSAAuthentication yes', 'PubkeyAuthentication no', 'Ciphers aes128-ctr,bogus', 'X11Forwarding=yes',
  'AuthorizedKeysCommand /usr/bin/keys', 'AuthorizedKeysCommandUser nobody', 'Include /nonexistent/*.conf',
  // Lines that trigger each cross-line check (core/sshconfig/crossLine.ts).
  'AuthenticationMethods publickey,password', 'AuthenticationMethods hostbased', 'HostbasedAuthentication yes',
  'KbdInteractiveAuthentication no', 'KexAlgorithms !curve25519-sha256', 'Ciphers bogus-only', 'MACs +hmac-sha1',
  'MaxStartups 10:30:100', 'MaxStartups 3', 'PerSourceNetBlockSize 24', 'IPQoS af21',
  // core/sshconfig/refusals: counts and names across lines, checks on the effective options.
  'Subsystem sftp /bin/x', 'Subsystem sftp /bin/y', 'AuthenticationMethods any', 'AddressFamily inet6', 'AddressFamily inet',
  'ListenAddress ::1', 'ListenAddress 127.0.0.1', 'AuthorizedPrincipalsCommand none # c',
];
const SSH_LINES = [
  'Host example', 'Host *', 'Host !bad *', 'Match host foo', 'Match all', 'Match user bob', 'User alice',
  'ServerAliveInterval 15', 'ServerAliveCountMax 0', 'ForwardAgent yes', 'ForwardAgnt yes', 'ForwardAgent maybe',
  'IdentityFile ~/.ssh/id', 'IdentityFile ~/.ssh/id2', 'Port 22', 'Port 70000', '', '# c', 'IgnoreUnknown Foo*',
  'FooBar 1', 'Compression yes', 'Compression no', 'StrictHostKeyChecking accept-new', 'HostName h',
  // Lines that trigger each cross-line check (core/sshconfig/crossLine.ts).
  'ConnectionAttempts 0', 'ConnectionAttempts 3', 'ForkAfterAuthentication yes', 'RemoteCommand ls', 'SessionType none',
  'ProxyCommand -', 'ProxyUseFDPass yes', 'UserKnownHostsFile none ~/.ssh/kh', 'GlobalKnownHostsFile none /x',
  'HostKeyAlgorithms !ssh-rsa', 'KexAlgorithms bogus', 'Match host h', 'HostName example', 'StdinNull yes', 'StdinNull no',
  // core/sshconfig/refusals: limits across lines, expansion and ProxyJump checks on the effective options.
  'ProxyJump example', 'ProxyJump h', 'ControlPath /tmp/%x', 'ControlPath /tmp/%C', 'IdentityAgent /tmp/%x', 'HostName h%x',
  'LocalForward /tmp/%x /tmp/y', 'CanonicalizeHostname yes', 'Match final', 'RemoteCommand ls # %x',
];

/** One plausible line per table keyword, so a new cross-line check in the analysis gets exercised. */
function tableLines(dialect: 'sshd' | 'ssh'): string[] {
  return keywordsFor(dialect).map((k) => {
    const v = k.default ?? (k.value.kind === 'enum' ? k.value.values[0] : k.value.kind === 'yesno' ? 'yes' : k.value.kind === 'int' || k.value.kind === 'time' ? '5' : 'x');
    return `${k.name} ${v}`;
  });
}

/** What the features read of a line (symbols, folding, hover). */
function linesKey(ls: DocLines): string {
  return JSON.stringify(ls.map((l) => [l.line, l.kind, l.keyword, l.args, l.matchArgs, l.spec?.name, l.block, l.commentStart]));
}

const FRAGMENTS = ['x', ' ', 'yes', 'no', '#', '"', '=', '0', 'Port', 'Match', 'Include', 'al', '\t', 'PermitTTY', 'User'];

for (const [dialect, handPicked, lang] of [['sshd', SSHD_LINES, 'sshd_config'], ['ssh', SSH_LINES, 'ssh_config']] as const) {
  const vocab = [...handPicked, ...handPicked, ...tableLines(dialect)];
  test(`${dialect}: incremental diagnostics equal a full analysis after every edit`, () => {
    let fast = 0;
    let fastLines = 0;
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...vocab), { minLength: 1, maxLength: 40 }),
      fc.array(fc.record({
        line: fc.nat(), from: fc.nat(40), len: fc.nat(6),
        text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...vocab)),
        // 'line': edit inside a line; 'enter': type a line break (+ indentation); 'join': delete one.
        kind: fc.constantFrom('line', 'line', 'whole', 'enter', 'enter', 'join', 'join'),
        indent: fc.constantFrom('', '    ', '\t'),
      }), { minLength: 1, maxLength: 12 }),
      (lines, edits) => {
        const fullLines = (d: TextDocument): DocLines => analyzeDocumentLines(TextDocument.create(d.uri, lang, d.version, d.getText()), dialect).lines;
        const cache = new IncrementalAnalyses(undefined, 0);
        let doc = TextDocument.create('file:///tmp/linger-inc-test.conf', lang, 1, `${lines.join('\n')}\n`);
        cache.get(doc, dialect);
        for (const e of edits) {
          const line = e.line % doc.lineCount;
          const lenOf = (l: number): number => doc.getText({ start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }).replace(/\r?\n$/, '').length;
          const len = lenOf(line);
          let changes;
          if (e.kind === 'enter') {
            const at = e.from % 3 === 0 ? 0 : e.from % 3 === 1 ? len : Math.min(e.from, len);
            changes = [{ range: { start: { line, character: at }, end: { line, character: at } }, text: `\n${e.indent}` }];
          } else if (e.kind === 'join' && line + 1 < doc.lineCount) {
            changes = [{ range: { start: { line, character: len }, end: { line: line + 1, character: 0 } }, text: '' }];
          } else {
            const start = e.kind === 'whole' ? 0 : Math.min(e.from, len);
            const end = e.kind === 'whole' ? len : Math.min(start + e.len, len);
            changes = [{ range: { start: { line, character: start }, end: { line, character: end } }, text: e.text }];
          }
          const before = cache.stats.fast;
          const beforeLines = cache.stats.fastLineCount;
          const pending = cache.before(doc, changes);
          doc = TextDocument.update(doc, changes, doc.version + 1);
          cache.after(doc, pending);
          fast += cache.stats.fast - before;
          fastLines += cache.stats.fastLineCount - beforeLines;
          const got = cache.get(doc, dialect).diagnostics;
          const want = analyzeDocument(TextDocument.create(doc.uri, lang, doc.version, doc.getText()), dialect).diagnostics;
          assert.equal(diagKey(got), diagKey(want), `after ${e.kind} at line ${line}:\n${doc.getText()}`);
          const a = cache.get(doc, dialect);
          const full = analyzeDocument(TextDocument.create(doc.uri, lang, doc.version, doc.getText()), dialect);
          assert.deepEqual([...a.keepalive.lines].sort(), [...full.keepalive.lines].sort(), 'keepalive lines');
          assert.deepEqual(a.headers, full.headers, 'block headers');
          // The lines the features read: checked after some edits only, so that several fast
          // edits in a row (renumbering deferred to the next read) are covered too.
          if (e.len % 2 === 0) assert.equal(linesKey(cache.lines(doc, dialect)), linesKey(fullLines(doc)), 'analysis lines');
        }
        assert.equal(linesKey(cache.lines(doc, dialect)), linesKey(fullLines(doc)), 'analysis lines');
      },
    ), { numRuns: 300 });
    assert.ok(fast > 100, `fast path exercised (${fast} times)`);
    assert.ok(fastLines > 30, `line added/removed on the fast path (${fastLines} times)`);
  });
}
