// Typed view of the `linger.*` settings. Everything the agent needs is sent to it as
// initializationOptions (and again on change); the extension reads the rest itself.
import * as vscode from 'vscode';
import type { BackendChoice } from '../core/jobs/types';

export const ROOT_SECTION = 'linger';

export type NotifyOnExit = 'always' | 'onFailure' | 'never';

/** The settings the agent cares about; sent verbatim as `initializationOptions.settings`. */
export interface AgentSettings {
  defaultBackend: BackendChoice;
  logSizeCapMB: number;
  killGraceSeconds: number;
  /** Empty means the agent's default ($LINGER_HOME, else XDG state dir). */
  stateDirectory: string;
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'tmux', 'screen', 'setsid'];
const NOTIFY: readonly NotifyOnExit[] = ['always', 'onFailure', 'never'];

function cfg(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(ROOT_SECTION);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function agentSettings(): AgentSettings {
  const c = cfg();
  return {
    defaultBackend: oneOf(c.get('defaultBackend'), BACKENDS, 'auto'),
    logSizeCapMB: positive(c.get('logSizeCapMB'), 100),
    killGraceSeconds: positive(c.get('killGraceSeconds'), 5),
    stateDirectory: String(c.get('stateDirectory') ?? '').trim(),
  };
}

export function notifyOnExit(): NotifyOnExit {
  return oneOf(cfg().get('notifyOnExit'), NOTIFY, 'onFailure');
}

export function reattachOnReconnect(): boolean {
  return cfg().get('reattachOnReconnect') !== false;
}

export function killGraceMs(): number {
  return Math.round(agentSettings().killGraceSeconds * 1000);
}

/** Settings whose change needs a new agent process (the state dir picks another job store). */
export function requiresAgentRestart(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${ROOT_SECTION}.stateDirectory`);
}
