// The generated grammars under the real TextMate engine (vscode-textmate + Oniguruma, taken from
// the code-server that the e2e setup caches in .cache/): Oniguruma accepts every pattern and
// sample lines get the expected scopes. Skipped when that cache is absent.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');

function vscodeModules(): string | null {
  const cache = path.join(ROOT, '.cache');
  if (!existsSync(cache)) return null;
  for (const d of readdirSync(cache).filter((n) => n.startsWith('code-server-')).sort().reverse()) {
    const p = path.join(cache, d, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
    if (existsSync(path.join(p, 'vscode-textmate')) && existsSync(path.join(p, 'vscode-oniguruma'))) return p;
  }
  return null;
}

interface Token { startIndex: number; endIndex: number; scopes: string[] }
interface Grammar { tokenizeLine(line: string, stack: unknown): { tokens: Token[]; ruleStack: unknown } }

const mods = vscodeModules();

test('grammars tokenize under vscode-textmate + Oniguruma', { skip: mods ? false : 'no code-server in .cache (run the e2e setup)' }, async () => {
  const req = createRequire(path.join(mods!, 'x.js'));
  const tm = req('vscode-textmate') as {
    Registry: new (o: unknown) => { loadGrammar(scope: string): Promise<Grammar | null> };
    INITIAL: unknown; parseRawGrammar(text: string, file: string): unknown;
  };
  const onig = req('vscode-oniguruma') as {
    loadWASM(b: ArrayBuffer): Promise<void>;
    OnigScanner: new (p: string[]) => unknown; OnigString: new (s: string) => unknown;
  };
  const wasm = readFileSync(path.join(mods!, 'vscode-oniguruma', 'release', 'onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files: Record<string, string> = {
    'source.sshd-config': 'syntaxes/sshd_config.tmLanguage.json',
    'source.ssh-config': 'syntaxes/ssh_config.tmLanguage.json',
  };
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async (scope: string) => (files[scope] ? tm.parseRawGrammar(readFileSync(path.join(ROOT, files[scope]), 'utf8'), files[scope]) : null),
  });
  const scopesOf = async (scope: string, line: string): Promise<Map<string, string>> => {
    const g = await registry.loadGrammar(scope);
    assert.ok(g);
    const out = new Map<string, string>();
    for (const t of g.tokenizeLine(line, tm.INITIAL).tokens) out.set(line.slice(t.startIndex, t.endIndex), t.scopes.join(' '));
    return out;
  };
  const sshd = await scopesOf('source.sshd-config', 'ClientAliveInterval=1m30s # idle');
  assert.match(sshd.get('ClientAliveInterval')!, /keyword\.other\.sshd-config/);
  assert.match(sshd.get('=')!, /keyword\.operator\.assignment/);
  assert.match(sshd.get('1m30s')!, /constant\.numeric\.time/);
  assert.match(sshd.get('#')!, /comment\.line/);
  const match = await scopesOf('source.sshd-config', 'Match User alice Address 10.0.0.0/8');
  assert.match(match.get('Match')!, /keyword\.control/);
  assert.match(match.get('User')!, /match-criterion/);
  assert.match((await scopesOf('source.sshd-config', '  X11Forwarding no')).get('no')!, /constant\.language/);
  assert.match((await scopesOf('source.sshd-config', 'FooBar "a b"')).get('FooBar')!, /unknown-keyword/);
  assert.match((await scopesOf('source.sshd-config', 'UsePrivilegeSeparation yes')).get('UsePrivilegeSeparation')!, /deprecated/);
  assert.match((await scopesOf('source.sshd-config', '# comment')).get(' comment')!, /comment\.line/);
  const host = await scopesOf('source.ssh-config', 'Host example *');
  assert.match(host.get('Host')!, /keyword\.control\.ssh-config/);
  assert.match((await scopesOf('source.ssh-config', '  ServerAliveInterval 15')).get('ServerAliveInterval')!, /keyword\.other\.ssh-config/);
});
