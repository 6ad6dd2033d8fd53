// package.json's `contributes.configuration` repeats core/settings.ts for VS Code's settings UI:
// the same names, defaults and allowed values, or a setting the user changes is not the one read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BACKEND_CHOICES } from '../../core/jobs/types';
import { agentSettingsWire, LingerSettings, NOTIFY_ON_EXIT, SETTING_DEFAULTS, SETTINGS_SECTION } from '../../core/settings';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; enum?: unknown[] }> } };
};
const props = pkg.contributes.configuration.properties;

test('package.json contributes exactly the settings of core/settings.ts, with the same defaults', () => {
  assert.deepEqual(Object.keys(props).sort(), Object.keys(SETTING_DEFAULTS).map((k) => `${SETTINGS_SECTION}.${k}`).sort());
  for (const [k, v] of Object.entries(SETTING_DEFAULTS)) assert.deepEqual(props[`${SETTINGS_SECTION}.${k}`].default, v, k);
});

test('the enums are the one backend list and the one notify list', () => {
  assert.deepEqual(props['linger.defaultBackend'].enum, [...BACKEND_CHOICES]);
  assert.deepEqual(props['linger.notifyOnExit'].enum, [...NOTIFY_ON_EXIT]);
});

test('what the extension sends is what the agent reads', () => {
  const patterns = [{ name: 'shards', regex: 'shard (?<done>\\d+) of (?<total>\\d+)' }];
  const wire = agentSettingsWire((k) => ({
    defaultBackend: 'screen', logSizeCapMB: 3, killGraceSeconds: 2, stateDirectory: ' /s ', progressPatterns: [...patterns, { name: 'no regex' }, 7],
    hosts: ['a', ' b ', 7], hiddenHosts: ['c'], sshConfigFile: ' /f ',
  })[k]);
  assert.deepEqual(LingerSettings.from({ settings: wire }), {
    stateDir: '/s', logCapBytes: 3 * 1024 * 1024, defaultBackend: 'screen', killGraceSeconds: 2, progressPatterns: patterns,
    hosts: ['a', 'b'], hiddenHosts: ['c'], sshConfigFile: '/f',
  });
  const junk = agentSettingsWire(() => 'bogus');
  assert.deepEqual(LingerSettings.from({ settings: junk }), { ...LingerSettings.defaults(), stateDir: 'bogus', sshConfigFile: 'bogus', logCapBytes: 100 * 1024 * 1024 });
  assert.deepEqual(junk, { defaultBackend: 'auto', logSizeCapMB: 100, killGraceSeconds: 5, stateDirectory: 'bogus', progressPatterns: [], hosts: [], hiddenHosts: [], sshConfigFile: 'bogus' });
});
