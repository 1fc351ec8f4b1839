# Sourced by the job scripts in jobs/: how an elec_hpc command runs so that it survives a scheduler's time limit.
#
# SLURM sends the batch shell SIGUSR1 five minutes before the limit (#SBATCH --signal=B:USR1@300). The launcher
# runs in the background, so this shell can take that signal (a shell waiting for a foreground child would not) and
# pass it on: mpirun forwards SIGUSR1 to the ranks (it would answer SIGTERM by killing them), srun forwards it to
# every task. The ranks finish the step under way, write their checkpoint or journal, and exit with status 75; the
# job then requeues itself (#SBATCH --requeue, --open-mode=append: the same log) and its next run resumes.
#
#   LAUNCHER=srun   start the ranks with srun (where Open MPI was built with SLURM's PMI); default mpirun, which
#                   takes the rank count and hosts from the allocation (outside SLURM: RANKS, default 2).

export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-${OMP_NUM_THREADS:-1}}
if [ "${LAUNCHER:-mpirun}" = srun ] && [ -n "${SLURM_JOB_ID:-}" ]; then
  LAUNCH=(srun --cpus-per-task="${SLURM_CPUS_PER_TASK:-1}")
elif [ -n "${SLURM_JOB_ID:-}" ]; then
  LAUNCH=(mpirun)
else
  LAUNCH=(mpirun -n "${RANKS:-2}")
fi

# run_resumable WHAT COMMAND...: runs COMMAND in the background, forwards SIGUSR1/SIGTERM to it as SIGUSR1, and
# returns its status; on 75 (stopped at a safe point) inside SLURM, requeues the job.
run_resumable() {
  local what=$1 status forwarded pid
  shift
  "$@" &
  pid=$!
  trap 'forwarded=1; kill -USR1 "$pid" 2>/dev/null || true' USR1 TERM
  while :; do
    forwarded=0 status=0
    wait "$pid" || status=$?
    [ "$forwarded" = 1 ] || break  # a trapped signal ends `wait` early: wait again for the command's own status
  done
  trap - USR1 TERM
  if [ "$status" -eq 75 ] && [ -n "${SLURM_JOB_ID:-}" ]; then
    echo "$what: stopped at a safe point; requeueing job $SLURM_JOB_ID, which resumes where it stopped"
    scontrol requeue "$SLURM_JOB_ID"
  fi
  return "$status"
}
