#!/usr/bin/env bash
# Prepare this machine for the test suite (called by `npm test` and `.ci/run`).
#
# Idempotent and fast when everything is already in place. It:
#   - starts PostgreSQL (Debian cluster) and Redis when they do not answer;
#   - raises PostgreSQL max_connections (one database per test file, files run in parallel);
#   - builds and installs pgvector from Debian trixie sources when the `vector`
#     extension is not available (the Debian source list is derived from the
#     machine's own apt configuration, so no mirror is hard-coded here);
#   - installs Debian's chromium for the e2e tests (never a downloaded browser);
#   - installs npm packages when node_modules is missing.
#
# Overridable: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres),
#              AIZALO_MIN_PG_CONNECTIONS (300).
set -euo pipefail

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT_DIR"

export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
MIN_CONNECTIONS="${AIZALO_MIN_PG_CONNECTIONS:-300}"
START_TS=$(date +%s)

# Several test runs may start at once (parallel checkouts): serialise the machine work.
# fd 9 holds the lock; it is closed for every command run through as_root so that
# daemons started here (postgres, redis) never inherit it and keep it locked.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/aizalo-setup.lock"
  if ! flock -w 900 9; then
    log "another setup has held the lock for 15 minutes; continuing without it"
  fi
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi
as_root() { if [ -n "$SUDO" ]; then $SUDO "$@" 9>&-; else "$@" 9>&-; fi; }

# Run a noisy command with its output in a log file; show the tail on failure.
quiet() {
  local logfile
  logfile="$(mktemp "${TMPDIR:-/tmp}/aizalo-setup.XXXXXX.log")"
  if "$@" >"$logfile" 2>&1; then
    rm -f "$logfile"
  else
    local rc=$?
    tail -n 40 "$logfile" >&2
    die "command failed ($rc): $* (full log: $logfile)"
  fi
}

pg_version() {
  if [ -d /etc/postgresql ]; then
    # shellcheck disable=SC2012
    ls /etc/postgresql | sort -V | tail -n 1
  fi
}
PG_VER="$(pg_version)"

pg_ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" >/dev/null 2>&1; }
psql_q() { psql -X -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc "$1"; }

wait_for() { # wait_for <what> <seconds> <command...>
  local what=$1 secs=$2
  shift 2
  local i
  for ((i = 0; i < secs * 4; i++)); do
    if "$@"; then return 0; fi
    sleep 0.25
  done
  die "$what did not answer within ${secs}s"
}

pg_cluster() { # pg_cluster start|restart
  [ -n "$PG_VER" ] && command -v pg_ctlcluster >/dev/null 2>&1 ||
    die "PostgreSQL is not reachable on $PGHOST:$PGPORT and no Debian cluster to $1 (pg_ctlcluster)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VER" main "$1"
}

# ---------------------------------------------------------------- PostgreSQL
if pg_ready; then
  :
else
  log "starting PostgreSQL $PG_VER"
  pg_cluster start || true
  wait_for PostgreSQL 60 pg_ready
fi
# The server may accept connections a moment before queries succeed (recovery).
wait_for "PostgreSQL queries" 30 psql_q "select 1" >/dev/null

current_conn="$(psql_q "show max_connections")"
if [ "$current_conn" -lt "$MIN_CONNECTIONS" ]; then
  log "raising PostgreSQL max_connections $current_conn -> $MIN_CONNECTIONS (restart)"
  psql_q "alter system set max_connections = $MIN_CONNECTIONS" >/dev/null
  pg_cluster restart
  wait_for PostgreSQL 60 pg_ready
  wait_for "PostgreSQL queries" 30 psql_q "select 1" >/dev/null
fi

# --------------------------------------------------------------------- Redis
redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
if ! redis_ready; then
  command -v redis-server >/dev/null 2>&1 || die "Redis is not reachable on 127.0.0.1:6379 and redis-server is not installed"
  log "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis 30 redis_ready
fi

# ------------------------------------------------------------------- apt helpers
APT_UPDATED=0
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
apt_update() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    quiet as_root apt-get "${APT_OPTS[@]}" update
    APT_UPDATED=1
  fi
}
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: $*"
  apt_update
  log "apt-get install $*"
  quiet as_root apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "$@"
}

# ------------------------------------------------------------------ pgvector
vector_available() { [ "$(psql_q "select 1 from pg_available_extensions where name = 'vector'")" = "1" ]; }

TRIXIE_SRC=/etc/apt/sources.list.d/aizalo-trixie-src.sources
add_trixie_sources() {
  [ -f "$TRIXIE_SRC" ] && return 0
  local base=/etc/apt/sources.list.d/debian.sources
  [ -f "$base" ] || die "$base not found: cannot derive a deb-src entry for pgvector"
  log "adding deb-src (trixie) entry $TRIXIE_SRC derived from $base"
  # First stanza of the machine's own Debian source list, as a trixie deb-src entry.
  awk '
    /^[[:space:]]*$/ { if (seen) exit; next }
    { seen = 1 }
    /^Types:/  { print "Types: deb-src"; next }
    /^Suites:/ { print "Suites: trixie"; next }
    { print }
  ' "$base" | as_root tee "$TRIXIE_SRC" >/dev/null
  APT_UPDATED=0
}

build_pgvector() {
  [ -n "$PG_VER" ] || die "the vector extension is missing and no Debian PostgreSQL was found to build it for"
  local pg_config="/usr/lib/postgresql/$PG_VER/bin/pg_config"
  add_trixie_sources
  apt_install "postgresql-server-dev-$PG_VER" build-essential dpkg-dev
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/aizalo-pgvector.XXXXXX")"
  log "fetching pgvector source (trixie) into $work"
  (cd "$work" && quiet apt-get "${APT_OPTS[@]}" source pgvector)
  local src
  src="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
  [ -n "$src" ] || die "apt-get source pgvector produced no source tree in $work"
  log "building $(basename "$src") for PostgreSQL $PG_VER"
  # OPTFLAGS="" avoids -march=native so the build also runs on other CPUs of this image.
  quiet make -C "$src" PG_CONFIG="$pg_config" OPTFLAGS="" -j"$(nproc 2>/dev/null || echo 2)"
  quiet as_root make -C "$src" PG_CONFIG="$pg_config" OPTFLAGS="" install
  rm -rf "$work"
  vector_available || die "pgvector was installed but PostgreSQL does not list the vector extension"
  log "pgvector installed: $(psql_q "select default_version from pg_available_extensions where name = 'vector'")"
}

if ! vector_available; then
  build_pgvector
fi

# ------------------------------------------------------------------ chromium
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium fonts-liberation
  [ -x /usr/bin/chromium ] || die "chromium was installed but /usr/bin/chromium is missing"
  log "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
fi

# ---------------------------------------------------------------- npm packages
if [ ! -d node_modules ]; then
  if [ -f package-lock.json ]; then
    log "npm ci"
    # npm/cli#9846: npm ci may reject a lockfile that lacks other platforms' optional binaries.
    npm ci --no-audit --no-fund || { log "npm ci refused the lockfile; npm install (same locked versions)"; npm install --no-audit --no-fund; }
  else
    log "npm install"
    npm install --no-audit --no-fund
  fi
fi

log "ready in $(($(date +%s) - START_TS))s (PostgreSQL $PGHOST:$PGPORT with vector, Redis 127.0.0.1:6379, chromium)"
