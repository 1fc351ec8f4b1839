#!/usr/bin/env bash
# Runs one libFuzzer harness for SECONDS on a scratch copy of its seed corpus, so the repository's corpus never
# grows. Exits non-zero on any finding (crash, sanitizer report, leak, timeout of one input, out of memory); the
# input that caused it is kept in FINDINGS_DIR and the command to replay it is printed. The mutation sequence is
# seeded (ELEC_FUZZ_SEED, default 1) so that a CI run explores the same inputs every time; set another seed, or
# run longer (bench/fuzz.md), to explore further.
# Usage: run_fuzzer.sh FUZZER CORPUS_DIR SECONDS FINDINGS_DIR
set -euo pipefail
fuzzer=$1 corpus=$2 seconds=$3 findings=$4
[ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ] || { echo "no seed corpus in $corpus" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/elec_fuzz_corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$corpus"/. "$work"
mkdir -p "$findings"

status=0
"$fuzzer" "$work" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$findings/" -seed="${ELEC_FUZZ_SEED:-1}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "FUZZ FINDING (exit $status); inputs kept in $findings:" >&2
  ls -l "$findings" >&2
  echo "replay one with: $fuzzer $findings/<file>" >&2
fi
exit "$status"
