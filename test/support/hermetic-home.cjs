// The home, shell and startup files every process a test starts sees (jobs run `$SHELL -lc`, and
// code-server, the extension host and the agent inherit the launcher's environment). Without it
// a test inherits the machine's login shell: on a machine whose ~/.profile waits 60 s on a stale
// lock, every shell job a test starts waits with it (issue 11). CommonJS, so both the .mjs
// launchers and the .ts tests (tsx, CommonJS) load the same file.
'use strict';
const { mkdirSync, mkdtempSync, rmSync, writeFileSync, renameSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/** The shell tests run shell jobs with: POSIX sh reads only /etc/profile and $HOME/.profile. */
const TEST_SHELL = '/bin/sh';

/** Startup files of the shells a job or a terminal may start, all written empty. */
const STARTUP_FILES = ['.profile', '.bash_profile', '.bash_login', '.bashrc', '.bash_logout', '.zshenv', '.zprofile', '.zshrc', '.zlogin'];

/** Variables that point a shell at startup files outside the test home (sh/dash ENV, bash BASH_ENV, zsh ZDOTDIR). */
const UNSET = ['ENV', 'BASH_ENV', 'ZDOTDIR'];

function writePrivate(file, body) {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, body, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Makes DIR (0700) a home with empty startup files; returns DIR. */
function makeTestHome(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of STARTUP_FILES) writePrivate(join(dir, f), '');
  return dir;
}

/**
 * Environment entries for a process tree that must not read the user's startup files: HOME, SHELL,
 * and the variables above set to undefined (child_process leaves undefined entries out, so spread
 * this over process.env to remove them).
 */
function hermeticEnv(home, shell = TEST_SHELL) {
  const env = { HOME: home, SHELL: shell };
  for (const k of UNSET) env[k] = undefined;
  return env;
}

let current = null;

/**
 * For a test process: a fresh test home under the temp dir becomes this process's HOME and SHELL,
 * so every child (the CLI, the agent, tmux/screen, the jobs) inherits it; removed at exit.
 * Idempotent; returns the home.
 */
function useHermeticHome() {
  if (current) return current;
  const home = makeTestHome(mkdtempSync(join(tmpdir(), 'linger-test-home-')));
  const env = hermeticEnv(home);
  for (const [k, v] of Object.entries(env)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  process.once('exit', () => { try { rmSync(home, { recursive: true, force: true }); } catch { /* best effort */ } });
  current = home;
  return home;
}

module.exports = { TEST_SHELL, STARTUP_FILES, makeTestHome, hermeticEnv, useHermeticHome };
