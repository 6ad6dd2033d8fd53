#!/usr/bin/env node
// The one test command (`npm test`): builds, then runs every group in order and prints one
// closing line "total: N passed, N failed, N skipped". Groups: unit, integration, vscode, e2e.
//   node test/run.mjs                 every group
//   node test/run.mjs unit lsp        only those groups
// Node-test groups run *.test.ts files through tsx; the vscode and e2e groups are launchers that
// print their own "N passed, N failed" line, which is read from their output.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const groups = {
  unit: { tests: () => findTests('test/unit') },
  integration: { tests: () => findTests('test/integration') },
  vscode: { launcher: 'test/vscode/launch.mjs' },
  e2e: { launcher: 'test/e2e/run.mjs' },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const order = wanted.length ? wanted : Object.keys(groups);
for (const g of order) if (!groups[g]) { console.error(`unknown test group: ${g} (have: ${Object.keys(groups).join(', ')})`); process.exit(2); }

if (!process.env.LINGER_SKIP_BUILD) {
  const b = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) { console.error('build failed'); process.exit(1); }
}

// The real VS Code (code-server, cached in .cache/) is needed by the vscode and e2e groups, and a
// unit test tokenizes our grammars with its vscode-textmate: install it first, so on a fresh clone
// that test runs instead of being skipped.
if (order.some((g) => g === 'vscode' || g === 'e2e')) {
  const { ensureCodeServer } = await import('../scripts/code-server.mjs');
  try {
    await ensureCodeServer({ log: (m) => console.log(m) });
  } catch (e) {
    console.error(`code-server could not be installed: ${e.message}`); // the groups that need it report it
  }
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('close', (code, signal) => resolve({ code: code ?? 128, signal, out }));
  });
}

const total = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
for (const g of order) {
  const spec = groups[g];
  console.log(`\n=== test group: ${g}`);
  let res;
  if (spec.tests) {
    const files = spec.tests();
    if (!files.length) { console.log(`(no tests in group ${g} yet)`); continue; }
    res = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
    const num = (k) => Number((res.out.match(new RegExp(`^ℹ ${k} (\\d+)`, 'm')) || [])[1] || 0);
    total.passed += num('pass'); total.failed += num('fail'); total.skipped += num('skipped') + num('todo');
    if (res.code !== 0 && num('fail') === 0) total.failed += 1; // crashed runner counts as a failure
  } else {
    if (!existsSync(spec.launcher)) { console.log(`(${spec.launcher} not present yet)`); continue; }
    res = await run(process.execPath, [spec.launcher]);
    const m = [...res.out.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
    if (m) { total.passed += +m[1]; total.failed += +m[2]; total.skipped += +(m[3] || 0); }
    else if (res.code !== 0) total.failed += 1;
  }
  if (res.code !== 0) exitCode = 1;
  console.log(`=== group ${g} exit ${res.code}`);
}
console.log(`\ntotal: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(exitCode || (total.failed ? 1 : 0));
