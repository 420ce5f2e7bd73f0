#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the benchmark: never for real data.
#
#   scripts/pg-cluster.sh start DIR   initdb DIR/data (if missing) and start it, listening
#                                      on a unix socket in DIR only (no TCP); prints the
#                                      shopctl URI of its database "shop" (the only stdout line)
#   scripts/pg-cluster.sh uri DIR     prints that URI again
#   scripts/pg-cluster.sh stop DIR    stops the server and deletes DIR
#
# Run as root, the server runs as the "postgres" user (initdb refuses root). Trust
# authentication over the socket, which only DIR's owner can reach.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/usr/bin:/sbin:/bin"

cmd=${1:-}
dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: $0 start|uri|stop DIR" >&2; exit 64; }
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x "$bin/pg_ctl" ]] || { echo "pg-cluster.sh: no PostgreSQL server found (install the postgresql package)" >&2; exit 69; }
data=$dir/data

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

uri() { echo "postgresql:///shop?host=$dir&port=$(cat "$dir/port")&user=postgres"; }

# The port only names the socket file, which lives in DIR: any number will do.
free_port() { echo $((20000 + RANDOM % 30000)); }

case "$cmd" in
  start)
    if [[ ! -d "$data" ]]; then
      mkdir -p "$dir"
      if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
      chmod 700 "$dir"
      as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log"
      free_port >"$dir/port"
      cat >>"$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $(cat "$dir/port")
max_connections = 60
shared_buffers = 128MB
fsync = on
synchronous_commit = on
jit = off
CONF
    fi
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null
    if ! "$bin/psql" -X -q -At "host=$dir port=$(cat "$dir/port") user=postgres dbname=postgres" \
         -c "SELECT 1 FROM pg_database WHERE datname = 'shop'" | grep -q 1; then
      "$bin/createdb" -h "$dir" -p "$(cat "$dir/port")" -U postgres shop
    fi
    uri
    ;;
  uri) uri ;;
  stop)
    if [[ -f "$data/postmaster.pid" ]]; then
      as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|uri|stop DIR" >&2; exit 64 ;;
esac
