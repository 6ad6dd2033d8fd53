#!/usr/bin/env node
// `npm run package`: production build, bundle-size check, then dist/linger.vsix via vsce.
// vsce runs with --no-dependencies (everything is bundled) and stdin from /dev/null so it never
// prompts; .vscodeignore decides what goes in.
import { spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

/** Budget for the extension's own JavaScript: its two bundles (the agent and CLI are separate processes). */
const EXTENSION_BUNDLE_LIMIT = 500 * 1024;
const OUT = 'dist/linger.vsix';

function step(label, cmd, args) {
  console.log(`> ${label}`);
  const r = spawnSync(cmd, args, { stdio: [openSync('/dev/null', 'r'), 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`${label} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

step('build (production)', process.execPath, ['esbuild.mjs', '--production']);

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const EXTENSION_BUNDLES = ['dist/extension.js', 'dist/extension-agent.js'];
for (const f of [...EXTENSION_BUNDLES, 'dist/server.js', 'dist/linger.js', 'dist/linger-lint.js', 'dist/linger-hosts.js']) {
  if (existsSync(f)) console.log(`  ${f}: ${kib(statSync(f).size)}`);
}
const ext = EXTENSION_BUNDLES.reduce((n, f) => n + statSync(f).size, 0);
if (ext > EXTENSION_BUNDLE_LIMIT) {
  console.error(`${EXTENSION_BUNDLES.join(' + ')} is ${kib(ext)}, over the ${kib(EXTENSION_BUNDLE_LIMIT)} budget`);
  process.exit(1);
}
// The vsix carries no node_modules: a bundle that still requires a package would fail at run time.
for (const f of [...EXTENSION_BUNDLES, 'dist/server.js', 'dist/linger-hosts.js']) {
  const text = readFileSync(f, 'utf8');
  const missing = [...text.matchAll(/require\("(@?[a-z][\w.-]*(?:\/[\w.-]+)*)"\)/g)]
    .map((m) => m[1])
    .filter((m) => m !== 'vscode' && !m.startsWith('node:') && !isBuiltin(m));
  if (missing.length) console.warn(`warning: ${f} requires packages the vsix does not ship: ${[...new Set(missing)].join(', ')}`);
}

step('vsce package', join(root, 'node_modules/.bin/vsce'),
  // The README's links are relative to the repository (there is no published URL to rewrite them
  // to); its screenshots ship inside the vsix, so the extension page still shows them.
  ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', OUT]);
console.log(`${OUT}: ${kib(statSync(OUT).size)}`);

function isBuiltin(m) {
  return builtinModules.includes(m.split('/')[0]);
}
