#!/bin/sh
# Makes a home whose login shell is slow to start, as on the machine of issue 11 (a profile
# waiting on a stale lock): .profile, .bash_profile and .bashrc each sleep, so `$SHELL -lc`,
# `bash -i` and anything that sources the user's startup files take that long.
#   test/support/slow-home.sh DIR [SECONDS]     (default 30)
# Then: HOME=DIR SHELL=/bin/bash node test/vscode/launch.mjs   (or test/e2e/run.mjs, an
# integration file): a hermetic test never waits on it.
set -eu
dir=${1:?usage: slow-home.sh DIR [SECONDS]}
secs=${2:-30}
case $secs in '' | *[!0-9]*) echo "slow-home.sh: SECONDS must be a whole number" >&2; exit 1 ;; esac
umask 077
mkdir -p "$dir"
chmod 700 "$dir"
for f in .profile .bash_profile .bashrc; do
  printf '# written by test/support/slow-home.sh: a login shell that takes %s s to start\nsleep %s\n' "$secs" "$secs" >"$dir/$f.tmp"
  mv -f "$dir/$f.tmp" "$dir/$f"
done
echo "$dir"
