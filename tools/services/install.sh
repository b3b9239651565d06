#!/usr/bin/env bash
# Installs the servers that tests and benchmarks start on loopback ports (tools/services/index.ts):
# Debian's redis-server and mariadb-server, and the Apache Kafka jars from Maven Central. Idempotent:
# when everything is present it only checks and returns. Runs as root (apt-get). The system services
# are neither started nor enabled: the harness runs its own server processes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kafka_cache="$here/.cache/kafka"

log() { printf '[services] %s\n' "$*" >&2; }

install_debian_packages() {
  local packages=()
  command -v redis-server >/dev/null || packages+=(redis-server)
  if ! command -v mariadbd >/dev/null || ! command -v mariadb-install-db >/dev/null; then packages+=(mariadb-server); fi
  command -v mariadb >/dev/null || packages+=(mariadb-client)
  command -v java >/dev/null || packages+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || packages+=(maven)
  if [ "${#packages[@]}" -eq 0 ]; then
    log "redis-server, mariadbd, java and mvn present"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "missing ${packages[*]}: run this script as root to install them with apt-get"
    exit 1
  fi
  # A policy-rc.d that exits 101 tells the packages' scripts not to start their services.
  local policy=/usr/sbin/policy-rc.d created_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  log "apt-get update"
  apt-get update -q
  log "apt-get install ${packages[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
  if [ -n "$created_policy" ]; then rm -f "$policy"; fi
  # The packages enable their units; the machine's boot must not start servers nobody asked for.
  local units=()
  [[ " ${packages[*]} " == *" redis-server "* ]] && units+=(redis-server)
  [[ " ${packages[*]} " == *" mariadb-server "* ]] && units+=(mariadb)
  if [ "${#units[@]}" -gt 0 ] && command -v systemctl >/dev/null; then
    systemctl disable "${units[@]}" >/dev/null 2>&1 || true
  fi
}

check_java() {
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  if [ "${major%%.*}" -lt 17 ] 2>/dev/null; then
    log "Kafka 4 needs Java 17 or newer; java on PATH is $major"
    exit 1
  fi
  command -v javac >/dev/null || { log "javac missing: createTopics runs a Java source file (install a JDK, not a JRE)"; exit 1; }
}

# The stamp is the hash of the pom: a changed pom (a new Kafka version) downloads again.
pom_stamp() { sha256sum "$here/kafka/pom.xml" | cut -c1-16; }

kafka_jars_current() {
  [ -d "$kafka_cache/libs" ] && [ -f "$kafka_cache/stamp" ] && [ "$(cat "$kafka_cache/stamp")" = "$(pom_stamp)" ]
}

install_kafka_jars() {
  log "resolving the Kafka jars from Maven Central (mvn dependency:copy-dependencies)"
  rm -rf "$kafka_cache"
  mkdir -p "$kafka_cache"
  local mvn_log="$kafka_cache/mvn.log"
  if ! mvn -B -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$kafka_cache/libs" 2>&1 | tee "$mvn_log" |
    { grep --line-buffered -oE 'Downloaded from [^:]+: \S+' | sed -u 's#.*/#  downloaded #' || true; }; then
    tail -n 40 "$mvn_log" >&2
    log "mvn failed; its whole output is in $mvn_log"
    exit 1
  fi
  log "$(find "$kafka_cache/libs" -name '*.jar' | wc -l) jars in tools/services/.cache/kafka/libs"
  pom_stamp >"$kafka_cache/stamp.pending"
}

# Fresh jars count as installed only once a broker has started from them and served a topic.
verify_kafka() {
  if [ ! -f "$root/node_modules/tsx/package.json" ]; then
    log "node_modules missing: run npm ci, then this script again, to verify the Kafka jars"
    exit 1
  fi
  log "verifying: starting a Kafka broker from the new jars"
  (cd "$root" && node --import tsx tools/services/verify.ts --kafka)
  mv "$kafka_cache/stamp.pending" "$kafka_cache/stamp"
}

install_debian_packages
check_java
if kafka_jars_current; then
  log "Kafka jars present ($(find "$kafka_cache/libs" -name '*.jar' | wc -l) in tools/services/.cache/kafka/libs)"
else
  install_kafka_jars
  verify_kafka
fi
