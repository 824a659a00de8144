#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang-14, ASan and UBSan into
# build-fuzz/ and runs each for SECONDS (default 60), two at a time (the CI
# machine has 2 cores), each on a copy of its seed corpus so that the tree stays
# clean. Fails if a target finds a crash, a leak, a timeout or runs out of
# memory, and prints the reproducer's path (kept under build-fuzz/fuzz-run/).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 300 mime imap
# Replay one input: build-fuzz/tests/fuzz/fuzz_mime FILE
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cc; do
    t=${f##*/fuzz_}
    targets+=("${t%.cc}")
  done
fi

CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DTACIT_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j2

run=build-fuzz/fuzz-run
rm -rf "$run"
mkdir -p "$run"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# Runs one target; its log goes to $run/NAME.log, artifacts to $run/NAME/.
fuzz_one() {
  local name=$1
  mkdir -p "$run/$name/corpus" "$run/$name/artifacts" "$run/$name/tmp"
  cp -r "tests/fuzz/corpus/$name/." "$run/$name/corpus/"
  local args=(-max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
    -artifact_prefix="$run/$name/artifacts/")
  [ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
  # TMPDIR: what a target writes (fuzz_config's files) stays in build-fuzz even after a crash.
  TMPDIR="$PWD/$run/$name/tmp" "build-fuzz/tests/fuzz/fuzz_$name" "${args[@]}" "$run/$name/corpus" >"$run/$name.log" 2>&1
}

pids=()
names=()
status=0
report() {  # report NAME EXIT
  local name=$1 rc=$2 stats
  stats=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$run/$name.log" | tail -n 1 || true)
  local execs
  execs=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$run/$name.log" | grep -oE '[0-9]+$' ||
    echo '?')
  local found
  found=$(find "$run/$name/artifacts" -type f | head -n 5)
  if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
    echo "FAIL fuzz_$name (exit $rc); log: $run/$name.log"
    grep -E 'ERROR: |SUMMARY: |runtime error' "$run/$name.log" | head -n 5 || true
    for f in $found; do echo "  reproducer: $f   (replay: build-fuzz/tests/fuzz/fuzz_$name $f)"; done
    status=1
  else
    echo "ok   fuzz_$name: ${execs} exec/s; ${stats#*DONE   }"
  fi
}

echo "== fuzzing ${#targets[@]} targets, ${secs} s each, two at a time"
for name in "${targets[@]}"; do
  if [ "${#pids[@]}" -ge 2 ]; then
    rc=0
    wait "${pids[0]}" || rc=$?
    report "${names[0]}" "$rc"
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
  fuzz_one "$name" &
  pids+=($!)
  names+=("$name")
done
for i in "${!pids[@]}"; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  report "${names[$i]}" "$rc"
done
exit "$status"
