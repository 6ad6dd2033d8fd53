#!/usr/bin/env bash
# System packages Linger's demo and tests need on a Debian/Ubuntu host; installs only what is
# missing (a second run is a no-op), with sudo when not root. The npm side is `npm ci`.
#   tmux, screen, util-linux (setsid, script): the three job backends
#   openssh-server/-client: the survival rig (a private sshd on 127.0.0.1) and the config oracle
#   iproute2, iptables: the network-drop test, inside a network namespace of its own
#   python3-tqdm, python3-rich: real progress bars for the progress tests (test/fixtures/progress)
#   chromium: the browser end-to-end tests; libkrb5-dev, build-essential, python3, pkg-config:
#   code-server (the real VS Code of `npm start`) compiles a kerberos module when it is installed
#   slurmctld slurmd slurm-client munge slurmdbd mariadb-server: the Slurm backend's tests start a
#   private single-node cluster from them (test/support/slurm-rig.sh); the packaged daemons are
#   never started (a policy-rc.d is in place during the install) nor enabled at boot
#   task-spooler, nq: only for bench/queue.bench.ts (Linger's queue measured beside them)
set -euo pipefail
PKGS=(tmux screen util-linux bsdutils procps psmisc openssh-server openssh-client iproute2 iptables
  chromium libkrb5-dev build-essential python3 python3-tqdm python3-rich pkg-config ca-certificates git
  slurmctld slurmd slurm-client munge slurmdbd mariadb-server task-spooler nq)
DAEMONS=(munge slurmctld slurmd slurmdbd mariadb)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-host: system packages present"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup-host: missing ${missing[*]}; this script knows apt-get only, install them by hand" >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
echo "setup-host: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Packaged daemons (munge, slurmctld, slurmd, slurmdbd, mariadb) would start on install and hold
# the ports and cgroups the test rig uses: a policy-rc.d that denies starts, only for this install.
POLICY=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  own_policy=1
fi
trap '[ "$own_policy" = 1 ] && "${SUDO[@]}" rm -f "$POLICY"' EXIT
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=900 update -qq
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Nor at the next boot (systemd hosts): the rig starts its own copies with its own configs.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  for d in "${DAEMONS[@]}"; do "${SUDO[@]}" systemctl disable --now "$d" >/dev/null 2>&1 || true; done
fi
