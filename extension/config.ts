// Typed view of the `linger.*` settings, through core/settings.ts (names, defaults and allowed
// values live there, shared with the agent and the CLI). Everything the agent needs is sent to
// it as initializationOptions (and again on change); the extension reads the rest itself.
import * as vscode from 'vscode';
import { compilePatterns } from '../core/jobs/progress';
import {
  agentSettingsWire, progressPatternsFrom, killGraceMs as graceMs, NOTIFY_ON_EXIT, oneOf, SETTING_DEFAULTS, SETTINGS_SECTION,
  type AgentSettingsWire, type NotifyOnExit,
} from '../core/settings';

export const ROOT_SECTION = SETTINGS_SECTION;
export type { NotifyOnExit };

/** The settings the agent cares about; sent verbatim as `initializationOptions.settings`. */
export type AgentSettings = AgentSettingsWire;

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(ROOT_SECTION);
}

export function agentSettings(): AgentSettings {
  const c = cfg();
  return agentSettingsWire((key) => c.get(key));
}

export function notifyOnExit(): NotifyOnExit {
  return oneOf(cfg().get('notifyOnExit'), NOTIFY_ON_EXIT, SETTING_DEFAULTS.notifyOnExit);
}

export function reattachOnReconnect(): boolean {
  return cfg().get('reattachOnReconnect') !== false;
}

export function killGraceMs(): number {
  return graceMs(agentSettings().killGraceSeconds);
}

/** Settings whose change needs a new agent process (the state dir picks another job store). */
export function requiresAgentRestart(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${ROOT_SECTION}.stateDirectory`);
}

/** Why some of linger.progressPatterns cannot be used (the agent leaves those out), one line each. */
export function progressPatternProblems(): string[] {
  return compilePatterns(progressPatternsFrom(cfg().get('progressPatterns'))).problems;
}
