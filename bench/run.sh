#!/usr/bin/env bash
# Runs the Live Gateway benchmark end to end (see docs/benchmarks.md):
# builds the packaged application if it is missing or older than the sources, then starts the
# emulator (audio echo) and the gateway (prod profile) as processes of their own and drives the
# load generator through every point. Options are passed to BenchDriver (--help lists them).
#   bench/run.sh                                   # the full run, ~15 minutes
#   bench/run.sh --sessions 1,100 --chunks 20 --duration 5 --section smoke
set -euo pipefail
cd "$(dirname "$0")/.."

app=target/quarkus-app/quarkus-run.jar
if [[ ! -f "$app" || -n "$(find src/main pom.xml proto -newer "$app" -print -quit)" ]]; then
  echo "building the application (./mvnw -B -o package -DskipTests) ..."
  ./mvnw -B -q -o package -DskipTests
fi

exec java -Djava.awt.headless=true \
  -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*' \
  dev.livegateway.bench.BenchDriver "$@"
