#!/usr/bin/env bash
# Builds the benchmarks jar and runs every benchmark of the engine (JMH), then prints one table
# with the targets and, last, the line
#   ratios: engine/raw-drools=X.XX engine/hand-written=Y.YY
# (single-thread family risk 2.0 evaluate). See benchmarks/README.md.
#
#   benchmarks/run.sh            full run: 2 forks, 3 warm-up + 5 measured iterations of 2 s (about 12 minutes)
#   benchmarks/run.sh --quick    1 fork, 2-7 warm-up + 2 measured iterations of 1 s, family risk only (about 80 s with the build)
#   benchmarks/run.sh --store    the PostgreSQL store beside the log file (quick settings): durable appends on 1 and 8
#                                threads, verify, replay; each store benchmark starts a throwaway server (PostgreSQL
#                                must be installed, as for the tests)
#
# Needs Java 17+ and Maven; the first build fetches JMH from Maven Central. JMH's own output goes to
# benchmarks/target/bench-results/jmh-NN-*.log, one file per JMH run.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=(--quick) ;;
    --store) mode=(--store) ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --quick, --store or nothing)" >&2; exit 2 ;;
  esac
done

echo "building benchmarks/target/benchmarks.jar ..." >&2
mvn -B -q -DskipTests -Pbenchmarks-jar package -pl benchmarks,sdm-cli -am >&2

cd benchmarks
exec java -Xms256m -Xmx1g -jar target/benchmarks.jar "${mode[@]}"
