// Activation cost of the extension bundle (dist/extension.js): module evaluation + activate().
// VS Code cannot run inside a benchmark here, so `vscode` is a recording stub (every API is a
// no-op); what is measured is our own code — bundle parse/eval, building the parts, registering
// commands/views/providers — which is what the 30 ms budget is about. Starting the agent is
// asynchronous and not part of activate().
// Floor: the same harness evaluating a trivial extension that registers the same number of
// commands, so the ratio shows what our bundle costs beyond the unavoidable minimum.
//   npx tsx bench/activation.bench.ts   → prints a markdown "## " section
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 30);
const BUDGET_MS = 30;
const root = join(__dirname, '..');
const bundle = process.env.BENCH_BUNDLE || join(root, 'dist/extension.js');

/** A value that is every API at once: callable, constructible, iterable (empty), awaitable as undefined. */
function makeStub(): unknown {
  const target = function stub() { /* no-op */ };
  const handler: ProxyHandler<typeof target> = {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator) return function* empty() { /* nothing */ };
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === 'length') return 0;
      return proxy;
    },
    set: () => true,
    apply: () => proxy,
    construct: () => proxy as object,
  };
  const proxy: unknown = new Proxy(target, handler);
  return proxy;
}

/**
 * The bundle imports `vscode` through esbuild's __toESM, which copies own properties: the stub
 * module must list the real top-level names, taken from @types/vscode.
 */
function vscodeModuleStub(): Record<string, unknown> {
  const dts = readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  const names = new Set([...dts.matchAll(/^\s*export (?:declare )?(?:class|namespace|enum|function|const|let|var) (\w+)/gm)].map((m) => m[1]!));
  const mod: Record<string, unknown> = {};
  for (const n of names) mod[n] = makeStub();
  return mod;
}

const vscodeStub = vscodeModuleStub();
type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Loader };
const realLoad = mod._load;
mod._load = function load(request, parent, isMain) {
  if (request === 'vscode') return vscodeStub;
  return realLoad.call(this, request, parent, isMain);
};

function fakeContext(): unknown {
  const memento = { get: (_k: string, d?: unknown) => d, update: async () => undefined, keys: () => [] };
  return {
    subscriptions: [], workspaceState: memento, globalState: { ...memento, setKeysForSync: () => undefined },
    asAbsolutePath: (p: string) => join(root, p), extensionPath: root, extension: { id: 'linger-dev.linger' },
  };
}

interface Sample { loadMs: number; activateMs: number }

function measure(file: string): Sample {
  delete require.cache[require.resolve(file)];
  const t0 = performance.now();
  const ext = require(file) as { activate(ctx: unknown): unknown };
  const t1 = performance.now();
  ext.activate(fakeContext());
  const t2 = performance.now();
  return { loadMs: t1 - t0, activateMs: t2 - t1 };
}

function stats(xs: number[]): { median: number; p90: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))]! };
}

function floorExtension(dir: string): string {
  const f = join(dir, 'floor.js');
  writeFileSync(f, `const vscode = require('vscode');
exports.activate = (ctx) => { for (let i = 0; i < 15; i++) ctx.subscriptions.push(vscode.commands.registerCommand('floor.c' + i, () => i)); };`);
  return f;
}

function run(file: string): { first: Sample; totals: number[]; activates: number[] } {
  const first = measure(file);
  const totals: number[] = [];
  const activates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const s = measure(file);
    totals.push(s.loadMs + s.activateMs);
    activates.push(s.activateMs);
  }
  return { first, totals, activates };
}

if (!existsSync(bundle)) {
  console.log('## Extension activation\n\n(skipped: dist/extension.js missing — run `npm run build` first)\n');
  process.exit(0);
}
const tmp = mkdtempSync(join(tmpdir(), 'lbench-'));
try {
  process.on('unhandledRejection', () => undefined); // the stubbed agent start fails asynchronously; not measured
  const floor = run(floorExtension(tmp));
  const ours = run(bundle);
  const fmt = (n: number): string => n.toFixed(2);
  const firstTotal = ours.first.loadMs + ours.first.activateMs;
  const fs = stats(floor.totals);
  const os = stats(ours.totals);
  const oa = stats(ours.activates);
  console.log(`## Extension activation (dist/extension.js, stubbed vscode API, ${ROUNDS} rounds)

| measure | Linger | floor (trivial extension) | ratio |
|---|---|---|---|
| first load + activate (cold) | ${fmt(firstTotal)} ms | ${fmt(floor.first.loadMs + floor.first.activateMs)} ms | ${fmt(firstTotal / (floor.first.loadMs + floor.first.activateMs))}× |
| load + activate, median (warm) | ${fmt(os.median)} ms | ${fmt(fs.median)} ms | ${fmt(os.median / fs.median)}× |
| load + activate, p90 (warm) | ${fmt(os.p90)} ms | ${fmt(fs.p90)} ms | ${fmt(os.p90 / fs.p90)}× |
| activate() alone, median | ${fmt(oa.median)} ms | — | — |

Budget: ${BUDGET_MS} ms for the cold first load + activate → **${firstTotal <= BUDGET_MS ? 'within budget' : 'OVER budget'}** (${fmt(firstTotal)} ms).
`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
  mod._load = realLoad;
}
