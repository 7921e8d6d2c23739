# Sourced by scripts/demo, scripts/test and scripts/bench: start and stop the
# servers tend needs, on loopback only, with state in a directory we own.

# A free TCP port on 127.0.0.1.
tend_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# tend_wait_port PORT TIMEOUT_S: until something accepts on 127.0.0.1:PORT.
tend_wait_port() {
  local port=$1 timeout=${2:-10} i
  for ((i = 0; i < timeout * 20; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing is listening on 127.0.0.1:$port after ${timeout}s" >&2
  return 1
}

# tend_start_nats DIR PORT: nats-server with JetStream, state under DIR.
tend_start_nats() {
  local dir=$1 port=$2
  mkdir -p "$dir/jetstream"
  cat >"$dir/nats.conf" <<CONF
listen: 127.0.0.1:$port
jetstream {
  store_dir: "$dir/jetstream"
  max_memory_store: 256MB
  # A limit, not an allocation: room for the coordinator's TEND_RESULTS
  # (1 GiB reserved) and the streams tests and the bench make beside it.
  max_file_store: 4GB
}
CONF
  nats-server -c "$dir/nats.conf" >"$dir/nats.log" 2>&1 &
  echo $! >"$dir/nats.pid"
  tend_wait_port "$port" 10 || { cat "$dir/nats.log" >&2; return 1; }
}

# tend_start_postgres DIR PORT: a private PostgreSQL 15 cluster with role and
# database "tend". PostgreSQL refuses to run as root, so the cluster belongs to
# the postgres user; DIR must be reachable by it.
tend_start_postgres() {
  local dir=$1 port=$2 bin=/usr/lib/postgresql/15/bin
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1
  fi
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
  runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -qAt -c \
    "select 1 from pg_roles where rolname='tend'" | grep -q 1 ||
    runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -q -c "create role tend login createdb"
  runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -qAt -c \
    "select 1 from pg_database where datname='tend'" | grep -q 1 ||
    runuser -u postgres -- psql -h 127.0.0.1 -p "$port" -U postgres -q -c "create database tend owner tend"
}

tend_stop_postgres() {
  local dir=$1
  [[ -f "$dir/data/postmaster.pid" ]] || return 0
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# tend_stop_pidfile FILE: TERM, up to 10 s, then KILL.
tend_stop_pidfile() {
  local file=$1 pid i
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
