// The jobs half of the agent: one Engine for the current settings, a watcher on its state
// directory, and the linger/jobsChanged push. It keeps no job state of its own beyond the
// last list it sent (to skip identical pushes): everything else is read from the engine's files,
// so any process of ours may die without losing anything.
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { Engine } from '../core/jobs/engine';
import type { JobRecord } from '../core/jobs/types';
import { JobsChangedNotification, WatchProgressNotification } from '../core/protocol';
import { logError } from './errors';
import type { AgentContext } from './handlers/context';
import { registerJobHandlers } from './handlers/index';
import { JobsWatcher } from './jobsWatcher';
import { ProgressWatch } from './progressWatch';
import { LingerSettings } from './settings';
import { HostsService } from './hosts';

/** jobs/<id>/log and log.1 (core/jobs/logs.ts logFilesOf). */
const LOG_FILE = /\/log(?:\.1)?$/;

export class JobAgent implements AgentContext {
  private current: LingerSettings = LingerSettings.defaults();
  private eng: Engine | null = null;
  private watcher: JobsWatcher | null = null;
  private lastSent: string | null = null;
  private logPaths = new Set<string>();
  private pushing = false;
  private pushAgain = false;
  private started = false;
  /** The last list read from the engine (progress pushes re-send it without listing again). */
  private lastJobs: readonly JobRecord[] = [];
  private readonly progress = new ProgressWatch(() => this.engine(), () => void this.send(this.lastJobs));

  private readonly hosts: HostsService;

  constructor(private readonly connection: Connection) {
    this.hosts = new HostsService(connection, () => this.current);
  }

  register(): void {
    registerJobHandlers(this.connection, this);
    this.connection.onNotification(WatchProgressNotification, (p: unknown) => {
      const visible = typeof p === 'object' && p !== null && (p as { visible?: unknown }).visible === true;
      this.progress.setVisible(visible);
      this.hosts.watchProgress(visible);
    });
    this.hosts.register();
  }

  /** Records as the client gets them: with progress while the view is visible. */
  withProgress(jobs: readonly JobRecord[]): JobRecord[] {
    return this.progress.decorate(jobs);
  }

  forward<R>(method: string, host: string, params: Record<string, unknown>): Promise<R> {
    return this.hosts.forward<R>(method, host, params);
  }

  settings(): LingerSettings {
    return this.current;
  }

  engine(): Engine {
    if (!this.eng) {
      this.eng = new Engine({ home: this.current.stateDir ?? undefined, logCapBytes: this.current.logCapBytes ?? undefined });
    }
    return this.eng;
  }

  /** New settings; a different state dir or log cap means a new engine (and watcher). */
  updateSettings(next: LingerSettings): void {
    const prev = this.current;
    this.current = next;
    this.progress.setPatterns(next.progressPatterns);
    this.hosts.settingsChanged();
    if (prev.stateDir !== next.stateDir || prev.logCapBytes !== next.logCapBytes) {
      this.eng = null;
      this.progress.engineChanged();
      if (this.started) {
        this.restartWatcher();
        this.lastSent = null;
        this.jobsTouched();
      }
    }
  }

  /** After `initialized`: start watching and push the list once. */
  start(): void {
    this.started = true;
    this.restartWatcher();
    void this.push();
  }

  jobsTouched(): void {
    if (this.watcher) this.watcher.poke();
    else void this.push();
  }

  dispose(): void {
    this.progress.dispose();
    this.watcher?.dispose();
    this.watcher = null;
    void this.hosts.dispose().catch((e: unknown) => logError('hosts dispose', e));
  }

  private restartWatcher(): void {
    this.watcher?.dispose();
    this.watcher = null;
    let dir: string;
    try {
      dir = this.engine().jobsDir();
    } catch (e) {
      logError('jobs watcher', e);
      return;
    }
    this.watcher = new JobsWatcher(dir, () => void this.push(), {
      // A job's log files are output, never a change of state: ignored by name too, because a new
      // job's log is not in logPaths until the first list after its start.
      ignore: (p) => this.logPaths.has(p) || p.endsWith('.tmp') || LOG_FILE.test(p),
    });
    this.watcher.start();
  }

  /** Sends engine.list() when it differs from what was last sent; serialised, coalesced. */
  private async push(): Promise<void> {
    if (this.pushing) { this.pushAgain = true; return; }
    this.pushing = true;
    try {
      do {
        this.pushAgain = false;
        let jobs: JobRecord[];
        try {
          jobs = await this.engine().list();
        } catch (e) {
          logError('jobs list', e);
          return;
        }
        this.logPaths = new Set(jobs.map((j) => path.resolve(j.logPath)));
        this.lastJobs = jobs;
        this.progress.listed(jobs);
        await this.send(jobs);
      } while (this.pushAgain);
    } finally {
      this.pushing = false;
    }
  }

  /** Pushes the list (with progress while watched) unless it is what was sent last. */
  private async send(list: readonly JobRecord[]): Promise<void> {
    const jobs = this.progress.decorate(list);
    const text = JSON.stringify(jobs);
    if (text === this.lastSent) return;
    this.lastSent = text;
    await this.connection.sendNotification(JobsChangedNotification, { jobs });
  }
}
