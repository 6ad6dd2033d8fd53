// Builds the three entry points into dist/: the CLI, the agent (LSP + jobs) and the extension.
// Type checking is separate (`npm run check-types`): esbuild only strips types.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Only the tests use the native pty module; the product must never pull it into a bundle.
  external: ['@lydell/node-pty'],
};

const entries = [
  { entryPoints: ['cli/main.ts'], outfile: 'dist/linger.js', banner: { js: '#!/usr/bin/env node' } },
  // lint is loaded by the CLI only for `linger lint` (see cli/main.ts cmdLint).
  { entryPoints: ['cli/commands/lint.ts'], outfile: 'dist/linger-lint.js' },
  // --host and --hosts all: the JSON-RPC client to other hosts' agents, loaded only for them.
  { entryPoints: ['cli/hostsEntry.ts'], outfile: 'dist/linger-hosts.js' },
  { entryPoints: ['server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['extension/main.ts'], outfile: 'dist/extension.js', external: [...common.external, 'vscode'] },
  // The agent connection (and the LSP client libraries) is required by extension/ctx.ts after activation.
  { entryPoints: ['extension/agent_api.ts'], outfile: 'dist/extension-agent.js', external: [...common.external, 'vscode'] },
];

function copyAssets() {
  // The job wrapper is a POSIX sh script run by the backends; it must exist on disk.
  mkdirSync('dist', { recursive: true });
  copyFileSync('core/jobs/wrapper.sh', 'dist/linger-wrap.sh');
  chmodSync('dist/linger.js', 0o755);
}

if (watch) {
  const ctxs = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
  await Promise.all(ctxs.map((c) => c.watch()));
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  copyAssets();
}
