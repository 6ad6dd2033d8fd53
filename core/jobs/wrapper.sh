#!/bin/sh
# Linger job wrapper, run by every backend as:  sh linger-wrap.sh JOBDIR MODE
# It is POSIX sh (not Node) so a job costs no Node process and keeps working when no Linger
# process is alive. The job's argv/cwd/env are read from JOBDIR/spec with the `read` builtin, one
# element per line (or one raw file per element with a newline), so nothing the user typed is
# ever parsed by a shell.
#
# MODE
#   run     run the job in the foreground of this terminal, record its exit status in JOBDIR/exit
#   pump    copy stdin to JOBDIR/log, keeping at most the log cap in log.1 + log (rotation by split)
#   script  setsid backend: give the job a pty with `script`, stdin from the JOBDIR/in FIFO
#   screen  screen backend: the job on a `script` pty, output teed to the window and the pump
#
# Shell variables are named _lg_*: in run mode the job inherits this shell's environment, and a
# plain name such as d or i that the user has exported would otherwise be overwritten.
_lg_d=$1
_lg_mode=${2:-run}

# Next spec element (stdin is JOBDIR/spec) into $_lg_v. '=VALUE' lines hold values without a
# newline (read without a fork); '@' means the raw bytes are in spec.$1, read with cat, where the
# trailing '.' stops $(...) from eating trailing newlines.
_lg_rd() {
  IFS= read -r _lg_v || return 1
  case $_lg_v in
  =*) _lg_v=${_lg_v#=} ;;
  *) _lg_v=$(cat "$_lg_d/spec.$1" && printf .) || return 1; _lg_v=${_lg_v%.} ;;
  esac
}

# Copies stdin to the capped log. A function, so the pipelines below run it in their forked
# subshell instead of starting another sh.
_lg_pump() {
  cd "$_lg_d" || exit 1
  # spec line 1: argc envc umask loghalf
  IFS=' ' read -r _ _ _ _lg_half <spec || _lg_half=52428800
  # split streams each read straight through; each chunk of $_lg_half bytes starts a new log and
  # moves the previous one to log.1, so log.1 + log is always the exact tail of the output.
  # mv renames over log.1 (a link planted there is replaced, not followed) and takes away any
  # `log`; set -C makes `>log` an O_EXCL create, so a link planted in between is refused (the log
  # then stops) instead of written through.
  if ! split -b "$_lg_half" -a 9 --filter 'mv -f log log.1 2>/dev/null; set -C; exec cat >log' - 2>/dev/null; then
    # The log could not be written (a full disk, most likely). Say so at its end if there is
    # room, leave an empty marker (needs no data block), and keep draining the job's output so
    # its terminal never blocks and the job runs on to record its exit status.
    if [ -f log ] && [ ! -h log ]; then
      printf '\r\n[linger: the log stopped here: it could not be written (no space left on the device?)]\r\n' >>log 2>/dev/null
    fi
    _lg_put log.stopped
    cat >/dev/null
  fi
  _lg_put log.done
}

# Writes VALUE (a line; none: an empty file, which needs no data block on a full disk) to
# JOBDIR/NAME without following a link planted there: an O_EXCL create (set -C) of the fresh
# name; if the name is taken (or a dangling link), a fresh temp name and mv -f over it, which
# replaces the link instead of writing through it. The temp file goes on any failure. Builtins
# only on the common path (wpid and cpid are on the way to the job's start). 2>/dev/null comes
# before the redirection it silences.
_lg_put() {
  _lg_f=$_lg_d/$1
  if [ ! -h "$_lg_f" ] && [ ! -e "$_lg_f" ]; then
    set -C
    if [ $# -gt 1 ]; then printf '%s\n' "$2" 2>/dev/null >"$_lg_f"; else printf '' 2>/dev/null >"$_lg_f"; fi
    _lg_r=$?
    set +C
    [ "$_lg_r" -ne 0 ] || return 0
  fi
  _lg_f=$_lg_d/.$1.$$.tmp
  set -C
  if [ $# -gt 1 ]; then printf '%s\n' "$2" 2>/dev/null >"$_lg_f"; else printf '' 2>/dev/null >"$_lg_f"; fi
  _lg_r=$?
  set +C
  if [ "$_lg_r" -eq 0 ] && mv -f "$_lg_f" "$_lg_d/$1"; then return 0; fi
  rm -f "$_lg_f"
  return 1
}

# What script(1) runs on its pty: this file in run mode, sourced by script's own $SHELL -c.
_lg_src='set -- "$LINGER_D" run; . "$LINGER_W"'

case $_lg_mode in
pump)
  _lg_pump
  exit 0
  ;;
script)
  # Outer process of a setsid job (own session, no terminal). Its pid, the job's outer session,
  # is recorded here rather than by a second job.json write in the engine.
  _lg_put opid $$
  # The FIFO is opened read-write so it never reports EOF; `linger attach` writes keystrokes
  # into it. It is made here rather than by the engine: mkfifo is a process, and a plain `run`
  # (waitForPid: false) returns without waiting for this one. Never fall back to opening a
  # missing path read-write: that would create a plain file.
  mkfifo -m 600 "$_lg_d/in" 2>/dev/null
  if [ -p "$_lg_d/in" ] && [ ! -h "$_lg_d/in" ]; then exec 0<>"$_lg_d/in"; else exec 0</dev/null; fi
  w=$0
  if command -v script >/dev/null 2>&1; then
    # script runs its command with $SHELL -c; that shell sources the wrapper itself rather than
    # exec'ing another sh (one sh start fewer before the job). The line is constant: paths go
    # through the environment. script's typescript file gets a "Script started" header even
    # with -q; its stdout does not.
    LINGER_W=$w LINGER_D=$_lg_d SHELL=/bin/sh \
      script -q -f -c "$_lg_src" /dev/null 2>/dev/null | _lg_pump
  else
    # No pty available: plain redirection (the job sees no terminal).
    sh "$w" "$_lg_d" run </dev/null 2>&1 | _lg_pump
  fi
  exit 0
  ;;
screen)
  # Window process of a screen job. screen's own -L log re-opens its file whenever its mtime
  # changes (so a FIFO to the pump would hit EOF and later block screen forever); instead the
  # job runs on a `script` pty inside the window and its output is teed to the window and the pump.
  w=$0
  if command -v script >/dev/null 2>&1; then
    # $SHELL -c sources the wrapper (see script mode).
    LINGER_W=$w LINGER_D=$_lg_d SHELL=/bin/sh \
      script -q -f -c "$_lg_src" /dev/null 2>/dev/null | tee /dev/tty | _lg_pump
  else
    sh "$w" "$_lg_d" run 2>&1 | tee /dev/tty | _lg_pump
  fi
  exit 0
  ;;
esac

# ---- run ----
unset LINGER_W LINGER_D
_lg_put wpid $$
# tmux: wait until the engine has attached the log pipe, so no early output is lost.
# The gate failing means the server is gone (it exits when its last session ends, and may have
# been exiting as this session was made: the engine then starts the job afresh) or unreachable:
# never run the job without its terminal and log pipe.
if [ -n "${LINGER_GATE_CHAN-}" ]; then
  _lg_g=0
  until "$LINGER_GATE_BIN" -S "$LINGER_GATE_SOCK" wait-for "$LINGER_GATE_CHAN" 2>/dev/null; do
    _lg_g=$((_lg_g + 1))
    [ "$_lg_g" -lt 3 ] || exit 1
    sleep 0.1
  done
  unset LINGER_GATE_CHAN LINGER_GATE_BIN LINGER_GATE_SOCK
fi
# A no-op trap (not '', which children would inherit as "ignored") lets the wrapper outlive a
# TERM/HUP/INT sent to the whole process group, so it can still record how the job ended.
trap : HUP INT TERM

# tmux only: the caller's environment (the tmux server's own is whoever started it first). It
# holds the caller's tokens: removed as soon as it is read, by an rm the job need not wait for
# (started from a subshell, so it never becomes a job of this shell that `wait`/`jobs` would see).
if [ -f "$_lg_d/environ" ] && [ ! -h "$_lg_d/environ" ]; then
  . "$_lg_d/environ"
  (rm -f "$_lg_d/environ" </dev/null >/dev/null 2>&1 &)
fi
# The exit record's reserve (made by the engine before the start, already holding a data block):
# opened now, written in place at the end, so the exit status is recorded even when the disk has
# filled up meanwhile (the log stops first). fd 9 is closed for the job.
_lg_res=
if [ -f "$_lg_d/exit.res" ] && [ ! -h "$_lg_d/exit.res" ] && exec 9<>"$_lg_d/exit.res"; then _lg_res=1; fi
# spec: "argc envc umask loghalf", then argv, then env (NAME=value), then cwd.
{
  IFS=' ' read -r _lg_n _lg_ne _lg_um _
  set --
  _lg_i=0
  while [ "$_lg_i" -lt "$_lg_n" ]; do _lg_rd "$_lg_i"; set -- "$@" "$_lg_v"; _lg_i=$((_lg_i + 1)); done
  _lg_n=$((_lg_n + _lg_ne))
  while [ "$_lg_i" -lt "$_lg_n" ]; do _lg_rd "$_lg_i"; export "$_lg_v"; _lg_i=$((_lg_i + 1)); done
  _lg_rd "$_lg_i"
} <"$_lg_d/spec"
if cd -- "$_lg_v"; then
  # A subshell (fork, no exec of another sh) writes its own pid, then becomes the job (exec keeps
  # argv untouched; caught signals are reset by exec). It runs in the foreground: an asynchronous
  # list would have SIGINT/SIGQUIT ignored and stdin set to /dev/null. /proc/self is the
  # subshell, since `read` is a builtin; without /proc, an sh -c reports $$ instead.
  (
    if IFS=' ' read -r _lg_p _ </proc/self/stat 2>/dev/null; then
      exec 9>&-; _lg_put cpid "$_lg_p"; umask "$_lg_um"; exec "$@"
    fi
    exec 9>&-
    exec sh -c 'set -C; echo $$ >"$0/cpid"; umask "$1"; shift; exec "$@"' "$_lg_d" "$_lg_um" "$@"
  )
  _lg_rc=$?
else
  echo "linger: cannot change directory to $_lg_v" >&2
  _lg_rc=126
fi
# The exit record: into the reserve in place (no new block needed; readers take its first
# line, the rest is the reserve's blank padding), then renamed to `exit` (a new name needs no
# data block either, and replaces a link planted there). Without a reserve: _lg_put.
_lg_exit() {
  if [ -n "$_lg_res" ] && printf '%s\n' "$1" >&9 && mv -f "$_lg_d/exit.res" "$_lg_d/exit"; then
    exec 9>&-; return 0
  fi
  exec 9>&- 2>/dev/null
  _lg_put exit "$1"
}
_lg_exit "$_lg_rc"
exit "$_lg_rc"
