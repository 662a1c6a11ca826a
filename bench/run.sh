#!/usr/bin/env bash
# Runs the Live Gateway benchmark end to end (see docs/benchmarks.md):
# builds the packaged application if it is missing or older than the sources, then starts the
# emulator (audio echo) and the gateway (prod profile) as processes of their own and drives the
# load generator through every point. Options are passed to BenchDriver (--help lists them).
#   bench/run.sh                                   # the full run, ~15 minutes
#   bench/run.sh --sessions 1,100 --chunks 20 --duration 5 --section smoke
set -euo pipefail
cd "$(dirname "$0")/.."

# The benchmark is test code (src/test/java/dev/livegateway/bench): it stays out of the packaged
# service. One Maven call packages the gateway and writes the test class path the driver runs on.
app=target/quarkus-app/quarkus-run.jar
classpath=target/bench.classpath
if [[ ! -f "$app" || ! -f "$classpath" || -n "$(find src/main src/test/java/dev/livegateway/bench \
      src/test/java/dev/livegateway/testing pom.xml proto -newer "$classpath" -print -quit)" ]]; then
  echo "building the application and the benchmark (./mvnw -B package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile="$classpath" -Dmdep.regenerateFile=true
fi

exec java -Djava.awt.headless=true \
  -cp "target/test-classes:target/classes:$(cat "$classpath")" \
  dev.livegateway.bench.BenchDriver "$@"
