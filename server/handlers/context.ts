// What every job handler gets: the engine for the current settings and a way to say
// "jobs changed, push now" (the watcher would notice anyway; this only makes it prompt).
import type { Engine } from '../../core/jobs/engine';
import { UserError, type JobRecord } from '../../core/jobs/types';
import type { LingerSettings } from '../settings';

export interface AgentContext {
  /** Throws when the engine cannot be created (bad state dir…); the error goes back to the caller. */
  engine(): Engine;
  settings(): LingerSettings;
  jobsTouched(): void;
  /** Records as the client gets them (with progress while the view is visible). */
  withProgress(jobs: readonly JobRecord[]): JobRecord[];
  /** The same request for another host's agent (server/hosts.ts). */
  forward<R>(method: string, host: string, params: Record<string, unknown>): Promise<R>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Params arrive as untrusted JSON: check the shape here so the engine only sees typed values. */
export function paramsObject(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new UserError('invalid request parameters: expected an object');
  return raw;
}

export function requireString(p: Record<string, unknown>, key: string): string {
  const v = p[key];
  if (typeof v !== 'string' || v === '') throw new UserError(`missing or invalid '${key}'`);
  return v;
}

export function optionalString(p: Record<string, unknown>, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new UserError(`'${key}' must be a string`);
  return v;
}

export function optionalNonNegInt(p: Record<string, unknown>, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new UserError(`'${key}' must be a non-negative integer`);
  return v;
}

export function optionalBoolean(p: Record<string, unknown>, key: string): boolean | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new UserError(`'${key}' must be true or false`);
  return v;
}

export function optionalStringArray(p: Record<string, unknown>, key: string): string[] | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new UserError(`'${key}' must be an array of strings`);
  return v as string[];
}

export function optionalStringRecord(p: Record<string, unknown>, key: string): Record<string, string> | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v) || !Object.values(v).every((s) => typeof s === 'string')) {
    throw new UserError(`'${key}' must be an object of strings`);
  }
  return v as Record<string, string>;
}
