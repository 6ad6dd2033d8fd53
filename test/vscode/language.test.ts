// sshd_config / ssh_config language support in a real VS Code: the language client in the
// extension talks to the real agent. What a user sees: the language mode, Problems, hover,
// completion, quick fixes, the outline.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from './helpers';

const SSHD = [
  'Port 22',
  'PermitRootLogn no',
  'ClientAliveInterval 0',
  'X11Forwarding no',
  '',
  'Match User deploy',
  '    AllowTcpForwarding no',
  '    UsePAM no',
  '    ',
  '',
].join('\n');

const SSH = ['Host build', '    HostName 127.0.0.1', '    ServerAliveInterval 5', '    ServerAliveCountMax 0', ''].join('\n');

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

async function open(name: string, text: string): Promise<vscode.TextEditor> {
  const dir = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'language-test');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc);
}

async function diagnostics(uri: vscode.Uri, codes: string[]): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const ds = vscode.languages.getDiagnostics(uri);
    return codes.every((c) => ds.some((d) => codeOf(d) === c)) ? ds : undefined;
  }, 20_000, `diagnostics ${codes.join(', ')}`);
}

function hoverText(hs: vscode.Hover[]): string {
  return hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

suite('language support', () => {
  let sshd: vscode.TextEditor;

  suiteSetup(async function () {
    this.timeout(60_000);
    await api();
    sshd = await open('sshd_config', SSHD);
  });

  test('sshd_config opens in the sshd_config language mode', () => {
    assert.equal(sshd.document.languageId, 'sshd_config');
  });

  test('Problems: unknown keyword, Match-illegal keyword, keepalive off; nothing on good lines', async function () {
    this.timeout(30_000);
    const ds = await diagnostics(sshd.document.uri, ['unknown-keyword', 'not-in-match', 'keepalive-off']);
    const at = (code: string): number[] => ds.filter((d) => codeOf(d) === code).map((d) => d.range.start.line);
    assert.deepEqual(at('unknown-keyword'), [1]);
    assert.deepEqual(at('not-in-match'), [7]);
    assert.ok(at('keepalive-off').includes(2));
    for (const line of [0, 3, 5, 6]) assert.ok(!ds.some((d) => d.range.start.line === line), `diagnostic on good line ${line + 1}`);
    assert.ok(ds.every((d) => d.source), 'every diagnostic names its source');
  });

  test('hover on ClientAliveInterval explains the keepalive', async () => {
    const hs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', sshd.document.uri, new vscode.Position(2, 3));
    const text = hoverText(hs);
    assert.match(text, /ClientAliveInterval/);
    assert.match(text, /keepalive|dead|never/i);
  });

  test('completion offers keywords, and inside Match only those allowed there', async () => {
    const top = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', sshd.document.uri, new vscode.Position(4, 0));
    const label = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
    const topLabels = top.items.map(label);
    assert.ok(topLabels.includes('PermitRootLogin'), 'PermitRootLogin offered at top level');
    assert.ok(topLabels.includes('UsePAM'), 'UsePAM offered at top level');
    const inMatch = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', sshd.document.uri, new vscode.Position(8, 4));
    const matchLabels = inMatch.items.map(label);
    assert.ok(matchLabels.includes('AllowTcpForwarding'), 'AllowTcpForwarding offered inside Match');
    assert.ok(!matchLabels.includes('UsePAM'), 'UsePAM is not allowed inside Match and must not be offered there');
  });

  test('a quick fix corrects the misspelt keyword', async () => {
    const range = new vscode.Range(1, 0, 1, 'PermitRootLogn'.length);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', sshd.document.uri, range);
    const fix = actions.find((a) => /PermitRootLogin/.test(a.title));
    assert.ok(fix?.edit, `no fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(sshd.document.lineAt(1).text, 'PermitRootLogin no');
    await waitFor(() => !vscode.languages.getDiagnostics(sshd.document.uri).some((d) => codeOf(d) === 'unknown-keyword'), 10_000, 'the fixed problem to go');
  });

  test('the outline shows the Match block', async () => {
    const syms = await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>('vscode.executeDocumentSymbolProvider', sshd.document.uri);
    assert.ok(syms.some((s) => /Match User deploy/.test(s.name)), syms.map((s) => s.name).join(', '));
  });

  test('ssh_config: its own mode and the CountMax 0 trap', async function () {
    this.timeout(30_000);
    const ssh = await open('ssh_config', SSH);
    assert.equal(ssh.document.languageId, 'ssh_config');
    const ds = await diagnostics(ssh.document.uri, ['countmax-zero']);
    assert.ok(!ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error), 'no errors in a valid ssh_config');
  });
});
