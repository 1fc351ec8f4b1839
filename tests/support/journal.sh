# Shell helpers of the tests of resumable commands (tests/cli/design.sh, tune_resume.sh, train_resume.sh,
# tests/jobs/slurm.sh).

# A journal without its timings and record checksums (which cover the timings): what must match across runs.
trials() { awk -F, -v OFS=, '{ $3 = ""; $NF = ""; print }' "$1"; }

# wait_for_lines FILE N SECONDS: returns once FILE holds at least N lines, or after SECONDS (the caller checks).
wait_for_lines() {
  local tries=$(($3 * 100))
  for _ in $(seq "$tries"); do
    [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
    sleep 0.01
  done
}

# wait_for_file FILE SECONDS: returns once FILE exists and is not empty, or after SECONDS (the caller checks).
wait_for_file() { for _ in $(seq $(($2 * 100))); do [ -s "$1" ] && return 0; sleep 0.01; done; }

# wait_for_match FILE PATTERN SECONDS: returns once a line of FILE matches PATTERN (grep), or after SECONDS.
wait_for_match() { for _ in $(seq $(($3 * 100))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.01; done; }

# The last model checksum a log's verification summary printed (train: "model checksum", tune: "checksum").
checksum() { grep -o "checksum *[0-9a-f]\{16\}" "$1" | tail -1 | awk '{print $NF}'; }
