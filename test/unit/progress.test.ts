// Progress read from real programs' logs (test/fixtures/progress: each captured from a real job
// by capture.sh, the terminal stream exactly as Linger stores it), user patterns, and the bounds
// that keep hostile output from costing more than a fixed tail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  compilePatterns, formatEta, parseProgress, progressBar, progressSummary, PROGRESS_TAIL_BYTES, stripAnsi, unsafeRegexReason,
} from '../../core/jobs/progress';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '..', 'fixtures', 'progress', `${name}.log`));

/** The log as it stood after each redraw or line: every prefix ending at a \r or \n. */
function prefixes(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0d || b[i] === 0x0a) out.push(b.subarray(0, i + 1));
  return out;
}

/** Fractions seen while the log grew, in order, without repeats. */
function fractions(b: Buffer): number[] {
  const seen: number[] = [];
  for (const p of prefixes(b)) {
    const f = parseProgress(p)?.fraction;
    if (typeof f === 'number' && seen[seen.length - 1] !== f) seen.push(f);
  }
  return seen;
}

function rising(xs: number[]): boolean { return xs.every((x, i) => i === 0 || x >= xs[i - 1]!); }

test('tqdm (python3-tqdm under a real terminal): the last redraw wins, with n/total and the remaining time', () => {
  const log = fixture('tqdm_bar');
  const p = parseProgress(log);
  assert.deepEqual({ ...p, text: undefined }, { fraction: 1, eta: 0, text: undefined, source: 'tqdm' });
  assert.match(p!.text, /^train: 100% 60\/60 \[00:01<00:00, [\d.]+it\/s\]$/);
  const fs = fractions(log);
  assert.ok(fs.length > 5 && rising(fs) && fs[0]! < 0.2 && fs.at(-1) === 1, `fractions while it ran: ${fs}`);
  // Mid-run: an ETA as tqdm printed it (00:01 → 1 s).
  const mid = prefixes(log).map((b) => parseProgress(b)).find((x) => x?.eta === 1 && x.fraction! < 0.5);
  assert.ok(mid, 'some mid-run redraw says 00:01 remaining');
});

test('tqdm without a total: a count, no fraction', () => {
  const p = parseProgress(fixture('tqdm_nototal'));
  assert.equal(p?.fraction, null);
  assert.equal(p?.source, 'tqdm');
  assert.match(p!.text, /^40it \[00:00, [\d.]+it\/s\]$/);
});

test('rich (python3-rich) under a terminal: bar, percentage and time remaining, colours stripped', () => {
  const log = fixture('rich_bar');
  assert.deepEqual(parseProgress(log), { fraction: 1, eta: 0, text: 'Processing... 100% 0:00:00', source: 'rich' });
  const fs = fractions(log);
  assert.ok(fs.length > 5 && rising(fs), `fractions while it ran: ${fs}`);
  const early = prefixes(log).map((b) => parseProgress(b)).find((x) => x && x.fraction! > 0 && x.fraction! < 0.5);
  assert.equal(early?.eta !== null && early!.eta > 0, true, JSON.stringify(early));
  // The first redraw has no estimate yet (-:--:--).
  assert.equal(parseProgress(prefixes(log)[0]!)?.eta ?? null, null);
});

test('rich piped (not a terminal) prints one final bar; it is read the same way', () => {
  assert.deepEqual(parseProgress(fixture('rich_piped')), { fraction: 1, eta: 0, text: 'Processing... 100% 0:00:00', source: 'rich' });
});

test('a plain N/M loop and Epoch/Step lines (sh)', () => {
  const log = fixture('counter');
  assert.deepEqual(parseProgress(log), { fraction: 0.36, eta: null, text: 'Step 360/1000 loss=0.3', source: 'count' });
  const fs = fractions(log.subarray(0, log.indexOf('Epoch')));
  assert.deepEqual(fs, Array.from({ length: 20 }, (_, i) => (i + 1) / 20));
  assert.deepEqual(parseProgress('Epoch 3/10\n'), { fraction: 0.3, eta: null, text: 'Epoch 3/10', source: 'count' });
  // A line with two counters is about the first (the epoch, not the step within it).
  assert.equal(parseProgress('Epoch 3/10 Step 120/1000\n')?.fraction, 0.3);
});

test('control: output with dates, paths, addresses and versions but no progress gives none', () => {
  assert.equal(parseProgress(fixture('noprogress')), null);
  for (const s of ['12/07/2026', 'see out/1/2', 'python 3.11/3.12', 'GET /v1/2', 'ratio 10/3 is not a count', '150%', '']) {
    assert.equal(parseProgress(`${s}\n`), null, s);
  }
});

test('percentages, the last one on a line; an ETA next to them', () => {
  assert.equal(parseProgress('downloading 45%\n')?.fraction, 0.45);
  assert.equal(parseProgress('downloading 45.2 %')?.fraction, 0.452);
  assert.equal(parseProgress('gpu 98% util, done 12%')?.fraction, 0.12);
  assert.deepEqual(parseProgress(' 45% [=====>      ] 1.2M  100KB/s  eta 12s'), { fraction: 0.45, eta: 12, text: '45% [=====> ] 1.2M 100KB/s eta 12s', source: 'percent' });
  assert.equal(parseProgress('120/1000 [==>....] - ETA: 1:02 - loss: 0.2')?.eta, 62);
  assert.equal(parseProgress('step 5/10 eta 1h 5m')?.eta, 3900);
});

test('terminal escapes are stripped (CSI, OSC, C1)', () => {
  assert.equal(stripAnsi('\x1b[1;32mok\x1b[0m \x1b]0;title\x07x\x9b2Ky'), 'ok xy');
  assert.equal(parseProgress('\x1b[2K\x1b[35m 42%\x1b[0m')?.fraction, 0.42);
});

test('user patterns (linger.progressPatterns) come first and carry their name', () => {
  const { patterns, problems } = compilePatterns([
    { name: 'shards', regex: 'shard (?<done>\\d+) of (?<total>\\d+)(?:, (?<eta>\\d+s) left)?' },
    { name: 'pct', regex: 'completion=(?<percent>[\\d.]+)' },
  ]);
  assert.deepEqual(problems, []);
  assert.deepEqual(parseProgress('50% of disk used\nshard 3 of 12, 40s left\n', patterns), { fraction: 0.25, eta: 40, text: 'shard 3 of 12, 40s left', source: 'shards' });
  assert.deepEqual(parseProgress('completion=62.5\n', patterns), { fraction: 0.625, eta: null, text: 'completion=62.5', source: 'pct' });
  // Control: without the patterns the same output reads differently (or not at all).
  assert.equal(parseProgress('shard 3 of 12, 40s left\n'), null);
});

test('user patterns that could backtrack exponentially, or name no groups, are refused with a reason', () => {
  const { patterns, problems } = compilePatterns([
    { name: 'a', regex: '(?<done>(\\d+)+)/(?<total>\\d+)' },
    { name: 'b', regex: '(?<percent>(a|aa)*)%' },
    { name: 'c', regex: '(?<done>\\d+)\\1(?<total>\\d+)' },
    { name: 'd', regex: 'no groups (\\d+)' },
    { name: 'e', regex: '(?<percent>[' },
    { name: 'ok', regex: '(?<done>\\d+) ?\\| ?(?<total>\\d{1,9})' },
  ]);
  assert.deepEqual(patterns.map((p) => p.name), ['ok']);
  assert.equal(problems.length, 5);
  assert.match(problems[0]!, /"a": a repeated group/);
  assert.match(problems[2]!, /backreferences/);
  assert.match(problems[3]!, /named groups/);
  assert.equal(unsafeRegexReason('(?<x>[+*]+)x{2,}(ab)?'), null);
  assert.notEqual(unsafeRegexReason('(x{1,5})*'), null);
});

test('summaries, ETAs and the tooltip bar', () => {
  assert.equal(progressSummary({ fraction: 0.42, eta: 720, text: 'x' }), '42% · ETA 12 min');
  assert.equal(progressSummary({ fraction: null, eta: null, text: '40it [00:00]' }), '40it [00:00]');
  assert.deepEqual([5, 59, 60, 3600, 3900, 86_400 + 3 * 3600].map(formatEta), ['5 s', '59 s', '1 min', '1 h', '1 h 5 min', '1 d 3 h']);
  assert.equal(formatEta(3590), '1 h');
  assert.equal(progressBar(0.3, 10), '[███░░░░░░░] 30%');
});

const noise = fc.constantFrom('\r', '\n', '%', '/', '|', '[', ']', '<', ':', '.', ' ', '0', '9', '42', 'eta ', 'ETA: ', 'it', 's', '━', '█', '\x1b[', '\x1b]', '\x9b', 'k', '?', 'Epoch ', '100/100', '00:01');

test('fuzz: random bytes and progress-shaped noise never throw; a result is always well formed', () => {
  fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.array(noise, { maxLength: 400 }).map((a) => a.join(''))), (input) => {
    const p = parseProgress(input);
    if (p === null) return;
    assert.ok(p.fraction === null || (p.fraction >= 0 && p.fraction <= 1), JSON.stringify(p));
    assert.ok(p.eta === null || (Number.isFinite(p.eta) && p.eta >= 0), JSON.stringify(p));
    assert.ok(p.text.length <= 101);
  }), { numRuns: 2000, seed: Number(process.env.LINGER_FUZZ_SEED ?? 17) });
});

test('bounded: only the last PROGRESS_TAIL_BYTES count, whatever came before', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 20_000 }), fc.uint8Array({ minLength: PROGRESS_TAIL_BYTES, maxLength: PROGRESS_TAIL_BYTES + 50 }), (head, tail) => {
    const t = Buffer.from(tail);
    assert.deepEqual(parseProgress(Buffer.concat([Buffer.from(head), t])), parseProgress(t.subarray(t.length - PROGRESS_TAIL_BYTES)));
  }), { numRuns: 200, seed: 3 });
});

// A hang guard only (the test's timeout); the cost is measured in bench/progress.bench.ts.
test('adversarial input: long digit, slash, percent and escape runs finish', { timeout: 60_000 }, () => {
  const runs = ['9'.repeat(8192), '1/'.repeat(4096), '%'.repeat(8192), '\x1b['.repeat(4096), '━'.repeat(2700), ' 1'.repeat(4096),
    'eta '.repeat(2048), '00:'.repeat(2700), '1.'.repeat(4096), '|'.repeat(8192), `${'1'.repeat(4000)}/${'2'.repeat(4000)}`];
  const { patterns } = compilePatterns([{ name: 'u', regex: '(?<done>\\d+)\\s*of\\s*(?<total>\\d+)' }]);
  for (const r of runs) {
    parseProgress(r, patterns);
    parseProgress(r.replace(/(.{100})/g, '$1\r'), patterns);
  }
});
