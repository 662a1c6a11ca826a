#!/usr/bin/env bash
# Trains the JVM's start-up archive of the packaged gateway (docs/operations.md, "Start-up time"):
# starts target/quarkus-app/quarkus-run.jar once on its embedded emulator, waits until
# /q/health/ready answers, holds one short text conversation through it, stops it, and leaves the
# archive next to the jar. On JDK 25 or newer that is a Leyden AOT cache (app.aot, used with
# -XX:AOTCache=APP_DIR/app.aot); on older JDKs a dynamic AppCDS archive (app-cds.jsa, used with
# -XX:SharedArchiveFile=APP_DIR/app-cds.jsa). Prints that option on its last line.
# Needs the aot-jar packaging (quarkus.package.jar.type, set in application.properties): the
# JVM archives only classes of its own class loaders, not those of Quarkus' fast-jar loader.
#
#   src/main/docker/train-startup-archive.sh [APP_DIR]      # default target/quarkus-app
#
# The archive only fits the JDK that wrote it and the jars it saw: run this with the JDK (JAVA,
# default java) and in the directory layout of production, e.g. in the container image build
# (src/main/docker/Dockerfile.jvm does). Needs no network and no Google account.
set -euo pipefail

app_dir=$(cd -P -- "${1:-target/quarkus-app}" && pwd -P)
java=${JAVA:-java}
port=${TRAIN_PORT:-18079}
# /q/health is served on the management interface only
management_port=${TRAIN_MANAGEMENT_PORT:-$((port + 1))}
timeout_s=${TRAIN_TIMEOUT_SECONDS:-120}

feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [[ -z "$feature" ]]; then
  echo "train-startup-archive: cannot tell the version of '$java'" >&2
  exit 1
fi
if (( ${feature%%.*} >= 25 )); then
  archive=app.aot
  dump=(-XX:AOTCacheOutput="$archive")
  use="-XX:AOTCache=$app_dir/$archive"
else
  archive=app-cds.jsa
  dump=(-XX:ArchiveClassesAtExit="$archive")
  use="-XX:SharedArchiveFile=$app_dir/$archive"
fi

cd "$app_dir"
rm -f "$archive"
log=$(mktemp)
# The emulator profile: embedded emulator, anonymous tenant, no Google credentials. Its tool
# directory is relative to the project, so none here.
"$java" "${dump[@]}" -Dquarkus.profile=emulator -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.management.port="$management_port" -Dquarkus.management.host=127.0.0.1 \
  -Dlive-gateway.tools.directory= -Dlive-gateway.emulator.port=0 -jar "$app_dir/quarkus-run.jar" >"$log" 2>&1 &
pid=$!
stop() { kill -TERM "$pid" 2>/dev/null || true; }
trap 'stop; rm -f "$log"' EXIT

ready() {
  # bash's /dev/tcp: the base images have no curl for sure
  { exec 3<>"/dev/tcp/127.0.0.1/$management_port"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  local status
  read -r -t 5 _ status _ <&3 || status=
  exec 3<&-
  [[ "$status" == 200 ]]
}
for ((i = 0; i < timeout_s * 10; i++)); do
  # Only our process counts as ready: something else may hold the port.
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "train-startup-archive: the gateway exited during start-up:" >&2
    cat "$log" >&2
    exit 1
  fi
  ready && break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null && ready || { echo "train-startup-archive: not ready within ${timeout_s}s" >&2; cat "$log" >&2; exit 1; }

# One conversation, so that the classes of a session are in the archive too.
if ! timeout 90 "$java" -cp 'lib/main/*:app/*' dev.livegateway.example.ConverseExample --target "127.0.0.1:$port" \
    --prompt "Hello? Gemini are you there?" --text --fast >/dev/null; then
  echo "train-startup-archive: the training conversation failed; the gateway's log:" >&2
  cat "$log" >&2
  exit 1
fi

stop
wait "$pid" || true   # 143 after SIGTERM; JDK 25 assembles the cache in a child JVM before exiting
trap 'rm -f "$log"' EXIT
if [[ ! -s "$archive" ]]; then
  echo "train-startup-archive: no archive written" >&2
  cat "$log" >&2
  exit 1
fi
echo "train-startup-archive: wrote $app_dir/$archive ($(du -h "$archive" | cut -f1)) with $("$java" -version 2>&1 | head -1)"
echo "$use"
