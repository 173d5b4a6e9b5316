#!/usr/bin/env bash
# Stops the cluster that tests/slurm/start.sh started: cancels every job,
# waits for their tasks to end, then stops slurmd, slurmctld and munged.
# The packages, the key and the configuration stay, so the next start.sh is
# quick. Safe to run when nothing is running.
# Usage: bash tests/slurm/stop.sh   (as root)
set -uo pipefail

# pid_alive FILE NAME: the process named in a pid file is running and is
# NAME. A killed daemon can linger as a zombie (PID 1 here may be slow to
# reap) and its pid can be reused, so kill -0 alone is not enough.
pid_alive() {
  local pid stat
  pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $stat == "$pid ($2) "[!Z]* ]]
}

# stop_daemon NAME PIDFILE: SIGTERM, up to 10 s to exit, then SIGKILL.
stop_daemon() {
  local name=$1 pidfile=$2
  pid_alive "$pidfile" "$name" || return 0
  kill "$(cat "$pidfile")" 2>/dev/null
  for _ in $(seq 50); do pid_alive "$pidfile" "$name" || return 0; sleep 0.2; done
  echo "tests/slurm/stop.sh: $name did not stop on SIGTERM; killing it" >&2
  kill -9 "$(cat "$pidfile")" 2>/dev/null || true
}

# Jobs are cancelled while slurmd still runs: it is slurmd's step daemons
# that kill the tasks, and a task outlives a stopped slurmd. The queue is
# cancelled again until it stays empty, since a coordinator that is still
# running sends a new worker for each one cancelled.
if pid_alive /run/slurmctld.pid slurmctld && command -v squeue >/dev/null; then
  jobs=
  for _ in $(seq 60); do
    jobs=$(squeue -h -o %A 2>/dev/null)
    [ -z "$jobs" ] && break
    # shellcheck disable=SC2086
    scancel $jobs 2>/dev/null
    sleep 0.5
  done
  [ -z "$jobs" ] || echo "tests/slurm/stop.sh: jobs still listed after 30 s: ${jobs//$'\n'/ }" >&2
fi

stop_daemon slurmd /run/slurmd.pid
stop_daemon slurmctld /run/slurmctld.pid
stop_daemon munged /run/munge/munged.pid
echo "slurm: stopped"
