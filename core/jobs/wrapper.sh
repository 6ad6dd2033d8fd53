#!/bin/sh
# Linger job wrapper, run by every backend as:  sh linger-wrap.sh JOBDIR MODE
# It is POSIX sh (not Node) so a job costs no Node process and keeps working when no Linger
# process is alive. The job's argv/cwd/env are read from JOBDIR/spec with the `read` builtin, one
# element per line (or one raw file per element with a newline), so nothing the user typed is
# ever parsed by a shell.
#
# MODE
#   run     run the job on this terminal, record how it ended in JOBDIR/exit
#   pump    copy stdin to JOBDIR/log, keeping at most the log cap in log.1 + log (rotation by split)
#   script  setsid backend: give the job a pty with `script`, stdin from the JOBDIR/in FIFO
#   screen  screen backend: the job on a `script` pty, output teed to the window and the pump
#   slurm   Slurm batch script (sbatch runs a spooled copy; $3 is the installed wrapper): the job
#           runs in a private tmux on the compute node (so `srun --overlap --pty` can attach to
#           it), output to the pump; exits with the job's status so Slurm records it
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
  # spec line 1: argc envc umask loghalf envbin
  IFS=' ' read -r _ _ _ _lg_half _ <spec || _lg_half=52428800
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
slurm)
  w=${3:-$0}
  cd "$_lg_d" || exit 1
  _lg_id=${_lg_d##*/}
  # A task of a job array: its own dir (log, exit record, pids, tmux socket path) with a copy of
  # the spec, and from here on that dir is the job dir.
  if [ -n "${SLURM_ARRAY_TASK_ID-}" ]; then
    _lg_td=$_lg_d/task-$SLURM_ARRAY_TASK_ID
    mkdir -m 700 "$_lg_td" 2>/dev/null
    { [ -d "$_lg_td" ] && [ ! -h "$_lg_td" ] && cp spec "$_lg_td/spec" && for _lg_f in spec.*; do [ ! -e "$_lg_f" ] || cp "$_lg_f" "$_lg_td/"; done; } || exit 1
    _lg_d=$_lg_td
    _lg_id=$_lg_id-$SLURM_ARRAY_TASK_ID
    cd "$_lg_d" || exit 1
  fi
  _lg_t=$(command -v tmux 2>/dev/null)
  # The tmux socket lives in a private dir in the node's /tmp (a socket on a shared home would
  # be per node anyway); its path goes to JOBDIR/tsock for `linger attach`.
  _lg_sd=/tmp/linger-$(id -u)
  if [ -n "$_lg_t" ]; then
    mkdir -m 700 "$_lg_sd" 2>/dev/null
    if [ ! -d "$_lg_sd" ] || [ -L "$_lg_sd" ] || [ ! -O "$_lg_sd" ]; then _lg_t=; fi
  fi
  if [ -n "$_lg_t" ]; then
    unset TMUX TMUX_PANE TMUX_TMPDIR
    _lg_s=$_lg_sd/slurm-${SLURM_JOB_ID:-$$}.sock
    # The tmux server runs in the foreground (-D), as this script's child: Slurm then tracks it
    # and the job in it however it tracks processes (a daemonized server escapes
    # proctrack/linuxproc, and scancel would leave the job running).
    "$_lg_t" -S "$_lg_s" -f /dev/null -D </dev/null >/dev/null 2>&1 &
    _lg_srv=$!
    _lg_k=0
    while [ ! -S "$_lg_s" ] && [ "$_lg_k" -lt 200 ] && kill -0 "$_lg_srv" 2>/dev/null; do sleep 0.05; _lg_k=$((_lg_k + 1)); done
    # pipe-pane takes a shell line: the two paths are single-quoted here (never user input).
    _lg_q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
    # Same start as the tmux backend: session, log pipe, then open the wrapper's gate; -D turned
    # exit-empty off, on again so the server ends with the job's session.
    if [ -S "$_lg_s" ] && "$_lg_t" -S "$_lg_s" new-session -d -s "linger-$_lg_id" -x 200 -y 50 \
      -e "LINGER_GATE_CHAN=linger-go-$_lg_id" -e "LINGER_GATE_BIN=$_lg_t" -e "LINGER_GATE_SOCK=$_lg_s" -e LINGER_NOADV=1 \
      sh "$w" "$_lg_d" run \; set-option -s exit-empty on \; set-option -g status off \; \
      pipe-pane -o -t "=linger-$_lg_id:" "set -- $(_lg_q "$_lg_d") pump; . $(_lg_q "$w")" \; \
      wait-for -S "linger-go-$_lg_id"; then
      _lg_put tsock "$_lg_s"
      # scancel's TERM reaches this script too. Where Slurm tracks processes by parentage
      # (proctrack/linuxproc, no cgroups) the job's process group can fall out of its reach once
      # the tmux server dies of that TERM: pass it on to the group (the pane's wrapper leads it
      # and outlives it to record the end; the session, then the server, end after it).
      trap '_lg_w=; read -r _lg_w <"$_lg_d/wpid" 2>/dev/null; [ "${_lg_w:-0}" -gt 1 ] && kill -TERM -"$_lg_w" 2>/dev/null' HUP INT TERM
      # Until the job's session (and with it the server) ends; a trapped signal interrupts the
      # wait, the trap runs, and the second wait sees the server go.
      wait "$_lg_srv"
      wait "$_lg_srv"
    else
      kill "$_lg_srv" 2>/dev/null
      _lg_t=
    fi
  fi
  if [ -z "$_lg_t" ]; then
    # No tmux on the node: plain pipes (no terminal to attach to; the log still has everything).
    LINGER_NOADV=1 sh "$w" "$_lg_d" run </dev/null 2>&1 | _lg_pump
  fi
  # Slurm ends the step's leftover processes when this script exits: let the pump drain first.
  _lg_k=0
  while [ ! -e log.done ] && [ "$_lg_k" -lt 50 ]; do sleep 0.1; _lg_k=$((_lg_k + 1)); done
  # The batch script ends as the job did, so Slurm records its code ("code N") or 128+N
  # ("signal N"; a bare number from older wrappers as is).
  _lg_rc=
  [ -f exit ] && IFS= read -r _lg_rc <exit
  case $_lg_rc in
  code\ *) _lg_rc=${_lg_rc#code } ;;
  signal\ *) _lg_rc=$((128 + ${_lg_rc#signal })) ;;
  esac
  case $_lg_rc in '' | *[!0-9]*) _lg_rc=1 ;; esac
  exit "$_lg_rc"
  ;;
esac

# The terminal's output processing is ours, so the log can be decoded exactly: with only
# opost+onlcr every "\n" the job writes becomes "\r\n" and nothing else changes, which a reader
# undoes by turning each "\r\n" back into "\n" (a job's own "\r\n" is "\r\r\n" in the log). Without a
# terminal on stdout (no `script`), or if stty fails, log.plain tells readers to take it as is.
# Run in the job's child just before exec: after cpid, so it costs the pid report nothing.
_lg_ttymodes() {
  if [ -t 1 ] && stty opost onlcr -ocrnl -onocr -onlret -olcuc -ofill -ofdel nl0 cr0 tab0 bs0 vt0 ff0 <&1 2>/dev/null; then :
  else _lg_put log.plain; fi
}

# Runs the job as an asynchronous child so that, once it ended, `jobs` tells an exit status
# above 128 ("Done(139)") from a death by signal ("Segmentation fault"); `wait` alone reports
# both as 128+N. An asynchronous list gets stdin /dev/null (undone with fd 3) and SIGINT/SIGQUIT
# ignored beyond the reach of `trap` (undone by env --default-signal at exec; $_lg_env is an env
# that has it). It stays in this process group, so a kill of the group reaches it.
# Sets _lg_rc (what `wait` reports) and _lg_st, the exit file's line: "code N", "signal N", or the
# bare number when this sh's `jobs` does not say (bash forgets a job once waited for).
_lg_run_async() {
  # env would take an argv[0] holding '=' as an assignment: a small sh execs it instead.
  case $1 in *=*) set -- /bin/sh -c 'exec "$@"' sh "$@" ;; esac
  exec 3<&0
  ( exec 0<&3 3<&- 9>&-; _lg_ttymodes; umask "$_lg_um"; exec "$_lg_env" --default-signal=INT,QUIT -- "$@" ) &
  _lg_p=$!
  exec 3<&-
  _lg_put cpid "$_lg_p"
  # A trapped signal ends `wait` early; kill -0 holds until the child is reaped (a zombie counts).
  # wait's stderr is the terminal, where sh would announce "Segmentation fault": not the job's.
  while kill -0 "$_lg_p" 2>/dev/null; do wait "$_lg_p" 2>/dev/null; [ $? -ne 127 ] || break; done
  # Waited for and not yet reported by `jobs`: wait gives its status again.
  wait "$_lg_p" 2>/dev/null; _lg_rc=$?
  _lg_st=$_lg_rc
  # Through a fresh file (O_EXCL: a link planted there is refused, and `jobs` then says nothing):
  # in $(...) `jobs` would run in a subshell, which has no jobs.
  _lg_j=
  _lg_f=$_lg_d/.jobs.$$.tmp
  set -C
  if jobs 2>/dev/null >"$_lg_f"; then IFS= read -r _lg_j <"$_lg_f" || :; fi
  set +C
  rm -f "$_lg_f"
  case $_lg_j in
  *Done* | *Exit*) _lg_st="code $_lg_rc" ;;
  '' | *Running*) ;;
  *) if [ "$_lg_rc" -gt 128 ]; then _lg_st="signal $((_lg_rc - 128))"; fi ;;
  esac
  if [ "$_lg_rc" -le 128 ]; then _lg_st="code $_lg_rc"; fi
}

# Without an env that resets signals: the job runs in the foreground (an asynchronous list would
# ignore Ctrl-C), and a status above 128 stays ambiguous (the bare number).
_lg_run_fg() {
  # A subshell (fork, no exec of another sh) writes its own pid, then becomes the job (exec keeps
  # argv untouched; caught signals are reset by exec). /proc/self is the subshell, since `read`
  # is a builtin; without /proc, an sh -c reports $$ instead.
  (
    if IFS=' ' read -r _lg_p _ </proc/self/stat 2>/dev/null; then
      exec 9>&-; _lg_put cpid "$_lg_p"; _lg_ttymodes; umask "$_lg_um"; exec "$@"
    fi
    exec 9>&-
    _lg_ttymodes
    exec sh -c 'set -C; echo $$ >"$0/cpid"; umask "$1"; shift; exec "$@"' "$_lg_d" "$_lg_um" "$@"
  )
  _lg_rc=$?
  _lg_st=$_lg_rc
  if [ "$_lg_rc" -le 128 ]; then _lg_st="code $_lg_rc"; fi
}

# ---- run ----
unset LINGER_W LINGER_D
# Slurm jobs leave the host's queue alone (the compute node is not this host; Slurm has its own).
_lg_noadv=${LINGER_NOADV-}
unset LINGER_NOADV
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

# tmux: the caller's environment (the tmux server's own is whoever started it first); screen and
# setsid: only inherited values that are not UTF-8, which Node passed on altered. It holds the
# caller's tokens: removed as soon as it is read, by an rm the job need not wait for
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
# spec: "argc envc umask loghalf envbin", then argv, then env (NAME=value), then cwd.
{
  IFS=' ' read -r _lg_n _lg_ne _lg_um _ _lg_env _
  set --
  _lg_i=0
  while [ "$_lg_i" -lt "$_lg_n" ]; do _lg_rd "$_lg_i"; set -- "$@" "$_lg_v"; _lg_i=$((_lg_i + 1)); done
  _lg_n=$((_lg_n + _lg_ne))
  while [ "$_lg_i" -lt "$_lg_n" ]; do _lg_rd "$_lg_i"; export "$_lg_v"; _lg_i=$((_lg_i + 1)); done
  _lg_rd "$_lg_i"
} <"$_lg_d/spec"
if cd -- "$_lg_v"; then
  if [ "${_lg_env:--}" != - ]; then _lg_run_async "$@"; else _lg_run_fg "$@"; fi
else
  echo "linger: cannot change directory to $_lg_v" >&2
  _lg_st="code 126" _lg_rc=126
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
_lg_exit "$_lg_st"

# The queue's advance step, now that the end is recorded (core/jobs/README.md, Queue): no Linger
# process need be alive for the next queued job to start. Nothing queued (an empty
# HOME/queue/pending, seen by a glob: no process) costs nothing. Otherwise the node and CLI
# bundle named in HOME/queue/hook (ours: the 0700 state dir, owner checked, both still there) run
# `__advance` in a session of their own with a clean environment: a kill of this job's group or
# the end of its tmux session does not reach it, and nothing of this job's environment leaks
# into the jobs it starts (they take their own from their `environ`). The wrapper waits for it
# (setsid -w): started in the background, it could still be in this session when the wrapper's
# exit ends the session and its hang-up kills it, before setsid() took it out.
_lg_advance() {
  [ -z "$_lg_noadv" ] || return 0
  _lg_h=${_lg_d%/jobs/*}
  for _lg_f in "$_lg_h"/queue/pending/*; do [ -e "$_lg_f" ] || return 0; break; done
  _lg_f=$_lg_h/queue/hook
  [ -f "$_lg_f" ] && [ ! -h "$_lg_f" ] && [ -O "$_lg_f" ] || return 0
  { IFS= read -r _lg_n && IFS= read -r _lg_b; } <"$_lg_f" || return 0
  [ -x "$_lg_n" ] && [ -f "$_lg_b" ] || return 0
  set --
  command -v setsid >/dev/null 2>&1 && set -- setsid -w
  (cd / && exec env -i PATH="$PATH" HOME="${HOME-}" LINGER_HOME="$_lg_h" ELECTRON_RUN_AS_NODE=1 "$@" "$_lg_n" "$_lg_b" __advance </dev/null >/dev/null 2>&1)
}
_lg_advance
exit "$_lg_rc"
