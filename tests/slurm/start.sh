#!/usr/bin/env bash
# A single-host Slurm cluster for the tests of ale's Slurm workers: installs
# Debian's slurm-wlm and munge if missing, makes a munge key, writes
# /etc/slurm/slurm.conf from slurm.conf.in beside this script (one node, this
# host, with its CPUs and most of its memory; one partition, `ale`), starts
# munged, slurmctld and slurmd directly (the test machines may not run
# systemd), and waits until a one-task job runs. tests/slurm/stop.sh stops it.
#
# Safe to run again: what is installed, written or running is left as it is,
# and the daemons are restarted only when the configuration changed.
# Measured on the 2-core test machine (Debian 12, Slurm 22.05.8): about
# 10 s on a machine without the packages or apt lists (7 s with the lists),
# under 3 s with the packages installed and nothing running, and about
# 0.2 s when the cluster is already up. Two one-CPU jobs run side by side
# (`srun -n1 sleep 2 & srun -n1 sleep 2 & wait`: 2.1 s; a third waits for a
# CPU: 5.3 s for three), a job asking for more memory than the node has is
# refused at once, and `sbatch --wrap`, `squeue` and `scancel` work (a
# cancelled job leaves the queue in under 0.3 s).
#
# Usage: bash tests/slurm/start.sh   (as root)
# ALE_SLURM_START_TIMEOUT: seconds to wait for the node (60).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
host=$(hostname -s)
timeout=${ALE_SLURM_START_TIMEOUT:-60}
export DEBIAN_FRONTEND=noninteractive

fail() {
  echo "tests/slurm/start.sh: $*" >&2
  # Debian's build loads the PMIx MPI plugin without its library and logs
  # that at every start; those lines say nothing about the failure.
  for f in /var/log/munge/munged.log /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log; do
    [ -f "$f" ] || continue
    echo "--- tail of $f" >&2
    grep -v -e pmix -e 'MPI: Cannot create context' "$f" | tail -n 20 >&2
  done
  command -v sinfo >/dev/null && { echo "--- sinfo -R" >&2; sinfo -R >&2 2>&1 || true; }
  exit 1
}

# pid_alive FILE NAME: the process named in a pid file is running and is
# NAME. A killed daemon can linger as a zombie (PID 1 here may be slow to
# reap) and its pid can be reused, so kill -0 alone is not enough.
pid_alive() {
  local pid stat
  pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $stat == "$pid ($2) "[!Z]* ]]
}

# --- Packages. The apt lists are refreshed only when the install fails
# without them (a fresh machine may have none or stale ones).
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
   ! command -v srun >/dev/null || ! command -v munged >/dev/null; then
  pkgs=(slurm-wlm munge)
  apt=(apt-get -o DPkg::Lock::Timeout=120)
  if ! "${apt[@]}" install -y --no-install-recommends "${pkgs[@]}" >/tmp/ale-slurm-apt.log 2>&1; then
    "${apt[@]}" update >>/tmp/ale-slurm-apt.log 2>&1 || true
    "${apt[@]}" install -y --no-install-recommends "${pkgs[@]}" >>/tmp/ale-slurm-apt.log 2>&1 ||
      { tail -n 20 /tmp/ale-slurm-apt.log >&2; fail "apt-get install ${pkgs[*]} failed"; }
  fi
fi

# --- munge. The key must belong to the munge user and be readable by it
# alone, or munged refuses to start.
mkdir -p /etc/munge /var/log/munge /var/lib/munge /run/munge
chown munge:munge /etc/munge /var/log/munge /var/lib/munge /run/munge
chmod 0700 /etc/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile=/etc/munge/munge.key --force
  else
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged || fail "munged did not start"
  munge -n | unmunge >/dev/null 2>&1 || fail "munged started but a credential does not round-trip"
fi

# --- slurm.conf. The node is this host with all its CPUs and its memory
# less a tenth (at least 1 GiB) for the daemons and the coordinator: a
# RealMemory above what slurmd measures drains the node.
cpus=$(nproc)
total=$(free -m | awk '/^Mem:/ { print $2 }')
headroom=$(( total / 10 > 1024 ? total / 10 : 1024 ))
memory=$(( total - headroom ))
defmem=$(( memory / cpus ))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
conf=$(sed -e "s/@HOST@/$host/g" -e "s/@CPUS@/$cpus/g" \
  -e "s/@MEMORY@/$memory/g" -e "s/@DEFMEM@/$defmem/g" "$here/slurm.conf.in")
changed=0
if [ "$(cat /etc/slurm/slurm.conf 2>/dev/null)" != "$conf" ]; then
  printf '%s\n' "$conf" >/etc/slurm/slurm.conf
  changed=1
fi

# --- Daemons. A changed configuration restarts both, so that neither runs
# on the old one; otherwise a running daemon is left alone.
stop_daemon() {
  local name=$1 pidfile=$2
  pid_alive "$pidfile" "$name" || return 0
  kill "$(cat "$pidfile")"
  for _ in $(seq 50); do pid_alive "$pidfile" "$name" || return 0; sleep 0.2; done
  kill -9 "$(cat "$pidfile")" 2>/dev/null || true
}
if [ "$changed" = 1 ]; then
  stop_daemon slurmd /run/slurmd.pid
  stop_daemon slurmctld /run/slurmctld.pid
fi
# start_daemon NAME PIDFILE: starts NAME unless it runs, and waits for the
# pid file its daemonized child writes.
start_daemon() {
  local name=$1 pidfile=$2
  pid_alive "$pidfile" "$name" && return 0
  "$name" || fail "$name did not start"
  for _ in $(seq 50); do pid_alive "$pidfile" "$name" && return 0; sleep 0.2; done
  fail "$name exited after starting"
}
start_daemon slurmctld /run/slurmctld.pid
start_daemon slurmd /run/slurmd.pid

# --- Wait for the node to take work. A node left down or drained by an
# earlier run (a daemon killed, an older configuration) is resumed once; if
# the cause is still there it goes down again and the wait says why.
deadline=$(( SECONDS + timeout ))
resumed=0
state=
while :; do
  pid_alive /run/slurmctld.pid slurmctld || fail "slurmctld exited"
  pid_alive /run/slurmd.pid slurmd || fail "slurmd exited"
  state=$(sinfo -h -p ale -n "$host" -o %t 2>/dev/null || true)
  case $state in
    idle|mix|comp) break ;;
    down*|drain*|drng*|fail*)
      if [ "$resumed" = 0 ] && scontrol update NodeName="$host" State=RESUME 2>/dev/null; then
        resumed=1
      fi ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] || fail "node $host not idle after ${timeout} s (state: ${state:-no answer})"
  sleep 0.5
done
left=$(( deadline - SECONDS > 5 ? deadline - SECONDS : 5 ))
out=$(timeout "$left" srun -p ale -n1 -t 1 hostname 2>&1) ||
  fail "srun -p ale -n1 hostname failed: $out"
[ "$out" = "$host" ] || fail "srun -p ale -n1 hostname printed '$out', not '$host'"

echo "slurm: node $host, $cpus CPUs, $memory MB, partition ale (default), up"
