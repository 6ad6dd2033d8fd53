#!/bin/sh
# Linger job wrapper, run by every backend as:  sh linger-wrap.sh JOBDIR MODE
# It is POSIX sh (not Node) so a job costs no Node process and keeps working when no Linger
# process is alive. The job's argv/cwd/env are read from files in JOBDIR/spec, one file per
# element, so nothing the user typed is ever parsed by a shell.
#
# MODE
#   run     run the job in the foreground of this terminal, record its exit status in JOBDIR/exit
#   pump    copy stdin to JOBDIR/log, keeping at most the log cap in log.1 + log (rotation by split)
#   script  setsid backend: give the job a pty with `script`, stdin from the JOBDIR/in FIFO
#   screen  screen backend: the job on a `script` pty, output teed to the window and the pump
d=$1
mode=${2:-run}

# Byte-exact read of spec element $1 into $_v. Values without a newline are stored as one line
# (FILE) and read with the `read` builtin (no fork); others as FILE.raw, read with cat, where the
# trailing '.' stops $(...) from eating trailing newlines.
rd() {
  if [ -f "$1" ]; then IFS= read -r _v <"$1"; else _v=$(cat "$1.raw" && printf .) || return 1; _v=${_v%.}; fi
}

case $mode in
pump)
  cd "$d" || exit 1
  half=$(cat spec/loghalf 2>/dev/null) || half=52428800
  # split streams each read straight through; each chunk of $half bytes starts a new log and
  # moves the previous one to log.1, so log.1 + log is always the exact tail of the output.
  split -b "$half" -a 9 --filter 'mv -f log log.1 2>/dev/null; exec cat >log' -
  : >log.done
  exit 0
  ;;
script)
  # Outer process of a setsid job (own session, no terminal). The FIFO is opened read-write so
  # it never reports EOF; `linger attach` writes keystrokes into it.
  exec 0<>"$d/in"
  w=$0
  if command -v script >/dev/null 2>&1; then
    # script's typescript file gets a "Script started" header even with -q; its stdout does not.
    LINGER_W=$w LINGER_D=$d SHELL=/bin/sh \
      script -q -f -c 'exec sh "$LINGER_W" "$LINGER_D" run' /dev/null 2>/dev/null | sh "$w" "$d" pump
  else
    # No pty available: plain redirection (the job sees no terminal).
    sh "$w" "$d" run </dev/null 2>&1 | sh "$w" "$d" pump
  fi
  exit 0
  ;;
screen)
  # Window process of a screen job. screen's own -L log re-opens its file whenever its mtime
  # changes (so a FIFO to the pump would hit EOF and later block screen forever); instead the
  # job runs on a `script` pty inside the window and its output is teed to the window and the pump.
  w=$0
  if command -v script >/dev/null 2>&1; then
    LINGER_W=$w LINGER_D=$d SHELL=/bin/sh \
      script -q -f -c 'exec sh "$LINGER_W" "$LINGER_D" run' /dev/null 2>/dev/null | tee /dev/tty | sh "$w" "$d" pump
  else
    sh "$w" "$d" run 2>&1 | tee /dev/tty | sh "$w" "$d" pump
  fi
  exit 0
  ;;
esac

# ---- run ----
unset LINGER_W LINGER_D
echo $$ >"$d/wpid"
# tmux: wait until the engine has attached the log pipe, so no early output is lost.
if [ -n "${LINGER_GATE_CHAN-}" ]; then
  "$LINGER_GATE_BIN" -S "$LINGER_GATE_SOCK" wait-for "$LINGER_GATE_CHAN" 2>/dev/null
  unset LINGER_GATE_CHAN LINGER_GATE_BIN LINGER_GATE_SOCK
fi
# A no-op trap (not '', which children would inherit as "ignored") lets the wrapper outlive a
# TERM/HUP/INT sent to the whole process group, so it can still record how the job ended.
trap : HUP INT TERM

s=$d/spec
# tmux only: the caller's environment (the tmux server's own is whoever started it first).
if [ -f "$s/environ" ]; then . "$s/environ"; fi
read -r n <"$s/argc"
set --
i=0
while [ "$i" -lt "$n" ]; do rd "$s/argv/$i"; set -- "$@" "$_v"; i=$((i + 1)); done
n=0; [ -f "$s/envc" ] && read -r n <"$s/envc"
i=0
while [ "$i" -lt "$n" ]; do rd "$s/env/$i"; export "$_v"; i=$((i + 1)); done
um=022; [ -f "$s/umask" ] && read -r um <"$s/umask"
rd "$s/cwd"
if cd -- "$_v"; then
  # The child writes its own pid, then becomes the job (exec keeps argv untouched). It runs in the
  # foreground: an asynchronous list would have SIGINT/SIGQUIT ignored and stdin set to /dev/null.
  sh -c 'echo $$ >"$0/cpid"; umask "$1"; shift; exec "$@"' "$d" "$um" "$@"
  rc=$?
else
  echo "linger: cannot change directory to $_v" >&2
  rc=126
fi
echo "$rc" >"$d/exit.tmp" && mv -f "$d/exit.tmp" "$d/exit"
exit "$rc"
