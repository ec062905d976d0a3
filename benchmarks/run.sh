#!/usr/bin/env bash
# Builds the benchmarks jar and runs every benchmark of the engine (JMH), then prints one table
# with the targets and, last, the line
#   ratios: engine/raw-drools=X.XX engine/hand-written=Y.YY http/in-process=Z.ZZ
# (single-thread family risk 2.0 evaluate; the service through HTTP against the JSON path in-process). See benchmarks/README.md.
#
#   benchmarks/run.sh            full run: 2 forks, 3 warm-up + 5 measured iterations of 2 s, then the HTTP run (about 16 minutes)
#   benchmarks/run.sh --quick    1 fork, 2-7 warm-up + 2 measured iterations of 1 s, family risk only, then the HTTP run
#                                (about 4 minutes with the build)
#   benchmarks/run.sh --store    the PostgreSQL store beside the log file (quick settings): durable appends on 1 and 8
#                                threads, verify, replay; each store benchmark starts a throwaway server (PostgreSQL
#                                must be installed, as for the tests)
#
# Needs Java 17+ and Maven; the first build fetches JMH from Maven Central. The HTTP run (HttpBenchmark) drives the
# service from a second process with wrk, Debian's package, installed here when missing (as root). JMH's own output
# goes to benchmarks/target/bench-results/jmh-NN-*.log, one file per JMH run; wrk's to http-wrk*.log beside them.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=(--quick) ;;
    --store) mode=(--store) ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --quick, --store or nothing)" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing wrk (Debian's package) for the HTTP benchmark ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2 || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2; }
  else
    echo "wrk is missing: the HTTP benchmark needs it (sudo apt-get install wrk)" >&2
    exit 2
  fi
fi

echo "building benchmarks/target/benchmarks.jar ..." >&2
mvn -B -q -DskipTests -Pbenchmarks-jar package -pl benchmarks,sdm-cli -am >&2

cd benchmarks
exec java -Xms256m -Xmx1g -jar target/benchmarks.jar "${mode[@]}"
