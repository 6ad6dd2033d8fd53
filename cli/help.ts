// Usage text for `linger --help` and `linger VERB --help`.
export const USAGE: Record<string, string> = {
  run: `linger run [--name N] [--backend auto|tmux|screen|setsid] [--cwd DIR] [--env K=V]... [--json] -- CMD [ARG...]
linger run --shell [options] 'STRING'     (runs $SHELL -lc STRING)
  Start CMD detached; it survives logout and SSH disconnects. Prints the job id (--json: the record).
  CMD and its arguments are run exactly as given (no shell unless --shell).
linger run --backend slurm [--partition P] [--time T] [--cpus N] [--mem M] [--gpus N] [--array SPEC] [--slurm-arg ARG]... -- CMD [ARG...]
  Submit CMD to Slurm with sbatch (queued until it runs on a compute node; attach/logs/kill as usual).
  --array 0-9%2: a job array, one record with its tasks (logs/attach take --task N).
Queue and dependencies:
  --group NAME          run in group NAME, at most its parallel limit at once (linger group set)
  --after ID[,ID...]    start once all of these exited 0; if one failed, was killed, lost or
                        cancelled, this job ends 'cancelled' (and so do its own dependents)
  --after-any ID[,ID...]  start once all of these ended, however they ended
  A waiting job is 'queued' (ls shows why). No Linger process needs to stay alive: each job's
  end starts the next. Slurm: --after becomes sbatch --dependency=afterok/afterany; --group is refused.
linger run --batch [--group G] [--backend B] [--json] < jobs.jsonl
  One job per stdin line: {"argv": [...], "name"?, "group"?, "after"?: [ids, or names of earlier
  lines], "afterAny"?, "cwd"?, "env"?}; all submitted by one process. Prints the ids in order.`,
  ls: `linger ls [--all] [--json] [--hosts all | -H]
  List jobs, newest first. --all also lists your own tmux/screen sessions (marked foreign).
  --hosts all (-H): this host and every host of the ssh config, asked in parallel, with a HOST
  column; a host that cannot be reached is one line with its reason (exit status stays 0).
  With --json: one array; every job has "host" (null = this host); an unreachable host is
  {"host": H, "unreachable": true, "status": "unreachable"|"refused", "reason": "..."}.`,
  show: `linger show ID [--json]
  Show one job. ID may be a unique id prefix or a job name.`,
  logs: `linger logs ID [-f|--follow] [--tail N] [--raw] [--task N]
  Print the job's output: the bytes the program wrote (stdout and stderr), exactly.
  --raw prints the terminal stream as it was shown instead (\\r\\n line ends, echoed input).
  -f keeps following until the job ends. --task N: one task of a Slurm job array.`,
  attach: `linger attach ID [--task N]
  Attach this terminal to the job (tmux/screen: their usual detach keys; setsid jobs: Ctrl-] detaches).`,
  wait: `linger wait ID [--timeout S]
  Wait for the job to end; exit with its exit code (128+N when signal N ended it, 124 on timeout).`,
  kill: `linger kill ID [--signal SIG] [--grace S]
  Send SIG (default TERM) to the job's whole process group, wait S seconds (default 5), then SIGKILL.
  A queued job is cancelled instead (its dependents too).`,
  rm: `linger rm ID... | --finished
  Remove finished jobs' records and logs (and queued jobs, which never ran).`,
  restart: `linger restart ID
  Run the same command (argv, cwd, env, backend choice) again as a new job; prints the new id.`,
  group: `linger group ls [--json] | set NAME --parallel N|unlimited | pause NAME | resume NAME
  Groups of queued jobs: a parallel limit (default unlimited); paused: nothing new starts, running jobs go on.`,
  doctor: `linger doctor [--json]
  Backends, state directory, logind and sshd keepalive settings that decide whether jobs survive.`,
  'install-cli': `linger install-cli [--host H]
  Put a 'linger' launcher into ~/.local/bin (on H with --host), pointing at a versioned copy of
  this Linger in ~/.local/share/linger/agent, so a plain shell there has 'linger'.`,
  lint: `linger lint [options] FILE...
  Check sshd_config / ssh_config files.`,
};

export function mainUsage(): string {
  return `linger: keep long-running work alive across SSH disconnects

Usage: linger VERB [options]
${Object.values(USAGE).map((u) => '  ' + u.split('\n')[0]).join('\n')}

Other hosts: linger --host H VERB ... runs any verb on H (an ssh_config alias), through your own
ssh (its config, keys, known_hosts); Linger's agent is copied there on first contact.
  --ssh-config FILE   read hosts from FILE and give it to ssh with -F (default ~/.ssh/config;
                      or $LINGER_SSH_CONFIG). Both options may also follow the verb.

Run 'linger VERB --help' for details. State: $LINGER_HOME (default ~/.local/state/linger).`;
}
