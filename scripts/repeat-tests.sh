#!/usr/bin/env bash
# Runs the named test classes N times each and prints, per class, how many runs failed and
# which tests failed in them. For whoever adds a test that asserts on a measured figure: run
# its class here with -n 10, and once more beside a busy CPU, before calling it done.
#   scripts/repeat-tests.sh SensitivityTests MeasurementTests -n 10
#   scripts/repeat-tests.sh CounterTests -n 5 --busy     # one CPU kept busy by a spinning process
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  echo "usage: scripts/repeat-tests.sh CLASS... [-n N] [--busy] [--no-build]" >&2
  echo "  CLASS: a test class name (e.g. SensitivityTests) or a fully qualified one" >&2
  exit 2
}

runs=10
busy=0
build=1
classes=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    --busy) busy=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) usage ;;
    -*) echo "repeat-tests: unknown option $1" >&2; usage ;;
    *) classes+=("$1"); shift ;;
  esac
done
[ ${#classes[@]} -gt 0 ] || usage
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "repeat-tests: -n takes a positive whole number, not '$runs'" >&2; exit 2; }

if [ "$build" = 1 ]; then
  dotnet build "$here/PacketCounter.sln" -c Release -nologo -v quiet >/dev/null
fi

spinner=""
stop_spinner() { [ -z "$spinner" ] || kill "$spinner" 2>/dev/null || true; }
trap stop_spinner EXIT
if [ "$busy" = 1 ]; then
  # A neighbour that keeps one CPU busy, as a shared CI machine has.
  ( while :; do :; done ) &
  spinner=$!
  echo "repeat-tests: pid $spinner keeps one CPU busy"
fi

work="$(mktemp -d)"
trap 'stop_spinner; rm -rf "$work"' EXIT
declare -A failed_runs
summary=()
for class in "${classes[@]}"; do
  failed_runs[$class]=0
  failures="$work/$class.failures"
  : > "$failures"
  for run in $(seq 1 "$runs"); do
    results="$work/$class-$run"
    start=$(date +%s)
    status=0
    dotnet test "$here/tests/PacketCounter.Tests/PacketCounter.Tests.csproj" -c Release --no-build \
      --filter "FullyQualifiedName~.$class." --logger "trx;LogFileName=r.trx" --results-directory "$results" \
      --blame-hang-timeout 10m --blame-hang-dump-type none >"$results.log" 2>&1 || status=$?
    took=$(( $(date +%s) - start ))
    trx="$results/r.trx"
    if [ ! -f "$trx" ]; then
      echo "$class run $run: no results (exit $status, ${took} s); log: see below"; tail -n 20 "$results.log"
      failed_runs[$class]=$(( failed_runs[$class] + 1 ))
      continue
    fi
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    value() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    passed=$(value passed); bad=$(value failed); total=$(value total); executed=$(value executed)
    echo "$class run $run: ${passed:-0} passed, ${bad:-0} failed, $(( ${total:-0} - ${executed:-0} )) skipped in ${took} s"
    if [ "${executed:-0}" -eq 0 ]; then
      echo "repeat-tests: no test matched $class" >&2
      exit 2
    fi
    if [ "${bad:-0}" -gt 0 ]; then
      failed_runs[$class]=$(( failed_runs[$class] + 1 ))
      grep -o '<UnitTestResult [^>]*outcome="Failed"' "$trx" | grep -o 'testName="[^"]*"' | sed 's/testName="\(.*\)"/\1/' >> "$failures"
      # The first lines of each failure's message, to see what was measured.
      grep -A4 '^  Failed ' "$results.log" | head -n 40
    fi
  done
  line="$class: ${failed_runs[$class]} of $runs runs failed"
  if [ -s "$failures" ]; then
    line+=$'\n'"$(sort "$failures" | uniq -c | sed 's/^/    /')"
  fi
  summary+=("$line")
done

echo
echo "=== failures per class ($runs runs each$( [ "$busy" = 1 ] && echo ', one CPU busy')) ==="
status=0
for line in "${summary[@]}"; do
  echo "$line"
  [[ "$line" == *": 0 of "* ]] || status=1
done
exit "$status"
