# Shell helpers of the command-line tests of resumable searches (tests/cli/design.sh, tests/cli/tune_resume.sh).

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
