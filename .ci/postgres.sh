# shellcheck shell=bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the storage-postgres
# conformance suite and benchmarks, and exports its URL as SWITCHBOARD_PG_URL.
#
#   source .ci/postgres.sh            # CI (.ci/run) and developers alike
#   bash -c 'source .ci/postgres.sh && pnpm test'
#
# - Installs PostgreSQL from Debian when no server binaries are found (needs root).
# - Creates a fresh cluster in a temporary directory (initdb, owned by the
#   `postgres` user when run as root), listening on 127.0.0.1 only, with a
#   random password, and a throwaway database `switchboard_test`.
# - Stops the server and deletes the cluster when the sourcing shell exits
#   (chained onto any EXIT trap already set), or on `switchboard_pg_stop`.
# - If SWITCHBOARD_PG_URL is already set and reachable it is kept as is.
# - Also writes `SWITCHBOARD_PG_URL=...` to $SWITCHBOARD_PG_DIR/url.
#
# Sourced, so it changes no shell options of the caller and returns non-zero on failure.

_sb_pg_fail() {
  echo "postgres.sh: $*" >&2
  return 1
}

_sb_pg_main() {
  if [ -n "${SWITCHBOARD_PG_URL:-}" ] && command -v psql >/dev/null 2>&1 &&
    psql "$SWITCHBOARD_PG_URL" -Atqc 'select 1' >/dev/null 2>&1; then
    echo "postgres.sh: using the server already at SWITCHBOARD_PG_URL"
    return 0
  fi

  local bindir
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    [ "$(id -u)" = 0 ] || { _sb_pg_fail "PostgreSQL is not installed; run: sudo apt-get install -y postgresql"; return 1; }
    echo "postgres.sh: installing PostgreSQL from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null ||
      { _sb_pg_fail "apt-get install postgresql failed"; return 1; }
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -x "$bindir/initdb" ] || { _sb_pg_fail "initdb not found after install"; return 1; }
  fi
  local major
  major="$("$bindir/postgres" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')"
  [ "$major" -ge 15 ] || { _sb_pg_fail "PostgreSQL $major is too old: 15 or newer is needed"; return 1; }

  # Run the server as `postgres` when we are root (initdb refuses root).
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    as=(runuser -u postgres --)
  fi

  local dir port password
  dir="$(mktemp -d /tmp/switchboard-pg.XXXXXX)"
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" >"$dir/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"

  # A free port: the first of 55432..55531 nobody listens on.
  port=""
  local p
  for p in $(seq 55432 55531); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
  [ -n "$port" ] || { _sb_pg_fail "no free port in 55432-55531"; return 1; }

  "${as[@]}" "$bindir/initdb" -D "$dir/data" -U switchboard --pwfile="$dir/pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; _sb_pg_fail "initdb failed"; return 1; }
  rm -f "$dir/pwfile"

  # Durable defaults (fsync on) so the benchmarks mean something; more
  # connections than the default 100 for the concurrency tests.
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200 -c shared_buffers=256MB" \
    >/dev/null ||
    { cat "$dir/server.log" >&2; _sb_pg_fail "the server did not start"; return 1; }

  export SWITCHBOARD_PG_URL="postgres://switchboard:${password}@127.0.0.1:${port}/switchboard_test"
  PGPASSWORD="$password" psql -h 127.0.0.1 -p "$port" -U switchboard -d postgres -qc 'create database switchboard_test' ||
    { _sb_pg_fail "create database failed"; return 1; }

  export SWITCHBOARD_PG_DIR="$dir"
  printf 'SWITCHBOARD_PG_URL=%s\n' "$SWITCHBOARD_PG_URL" >"$dir/url"
  eval "switchboard_pg_stop() {
    ${as[*]} '$bindir/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null 2>&1 || true
    rm -rf '$dir'
  }"
  local previous
  previous="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
  # shellcheck disable=SC2064
  trap "switchboard_pg_stop; ${previous:-:}" EXIT
  echo "postgres.sh: PostgreSQL $major on 127.0.0.1:$port, database switchboard_test (cluster in $dir)"
  echo "SWITCHBOARD_PG_URL=$SWITCHBOARD_PG_URL"
}

_sb_pg_main
_sb_pg_status=$?
unset -f _sb_pg_main _sb_pg_fail
if [ "$_sb_pg_status" != 0 ]; then
  unset _sb_pg_status
  return 1 2>/dev/null || exit 1
fi
unset _sb_pg_status
