#!/usr/bin/env bash
# Starts a one-node SLURM (slurmctld + slurmd + munge) on this machine, for trying the job scripts in jobs/ with
# sbatch exactly as on a cluster. Debian 12, root. Idempotent: does nothing when sinfo already answers.
#   bash scripts/local-slurm.sh          start (installs slurm-wlm and munge when missing)
#   bash scripts/local-slurm.sh stop     stop the daemons again
set -euo pipefail
if [ "${1:-}" = stop ]; then
  pkill -x slurmd || true; pkill -x slurmctld || true; pkill -x munged || true
  exit 0
fi
if sinfo >/dev/null 2>&1; then echo "SLURM already answers:"; sinfo; exit 0; fi
command -v slurmctld >/dev/null && command -v munged >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge >/dev/null
host=$(hostname -s); cpus=$(nproc --all);  # --all: nproc alone obeys OMP_NUM_THREADS
 mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job waits out the credential lifetime before it starts again (default 120 s): short on one node.
AuthInfo=cred_expire=10
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
[ -s /etc/munge/munge.key ] || mungekey -c
chown munge:munge /etc/munge/munge.key /run/munge; chmod 400 /etc/munge/munge.key
pgrep munged >/dev/null || runuser -u munge -- munged
slurmctld -c; slurmd  # -c: a fresh cluster, no jobs left from an earlier one
for _ in $(seq 20); do sinfo >/dev/null 2>&1 && break; sleep 1; done
sinfo
