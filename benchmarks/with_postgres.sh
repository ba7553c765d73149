#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then remove it:
#
#   bash benchmarks/with_postgres.sh python benchmarks/bench_pages.py
#
# The cluster is started as .ci/run starts its own (start_postgres there): initdb and pg_ctl
# refuse to run as root, so everything lives in a temp dir owned by postgres and both run via
# runuser; it listens on 127.0.0.1 only, on a free port, with trust auth. Durability is off
# (fsync, synchronous_commit, full_page_writes), as in CI: the cluster is thrown away.
# The command sees SHOUWEI_DATABASE_URL pointing at an empty database "shouwei".
#
#   bash benchmarks/with_postgres.sh --replica python benchmarks/bench_replicas.py
#
# --replica also starts a hot-standby streaming replica of it (pg_basebackup -R, a second port)
# and sets SHOUWEI_REPLICA_URLS to it.
set -euo pipefail

REPLICA=0
if [[ ${1:-} == --replica ]]; then
    REPLICA=1
    shift
fi
(($#)) || { echo "usage: $0 [--replica] COMMAND [ARG...]" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "run as root (initdb runs via runuser -u postgres)" >&2; exit 2; }

PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[[ -x $PG_BIN/pg_ctl ]] || { echo "PostgreSQL missing: apt-get install postgresql" >&2; exit 2; }
PG_DIR=$(mktemp -d /tmp/shouwei-bench-pg.XXXXXX)

cleanup() {
    local rc=$?
    if [[ -f $PG_DIR/replica/postmaster.pid ]]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/replica" -m fast -w stop >/dev/null \
            || echo "warning: could not stop the throwaway replica in $PG_DIR" >&2
    fi
    if [[ -f $PG_DIR/data/postmaster.pid ]]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null \
            || echo "warning: could not stop the throwaway PostgreSQL in $PG_DIR" >&2
    fi
    rm -rf -- "$PG_DIR"
    exit "$rc"
}
trap cleanup EXIT

chown postgres:postgres "$PG_DIR"
runuser -u postgres -- mkdir "$PG_DIR/sock"
runuser -u postgres -- "$PG_BIN/initdb" -A trust -U postgres -E UTF8 --locale=C -D "$PG_DIR/data" >/dev/null
PG_PORT=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -w -D "$PG_DIR/data" -l "$PG_DIR/log" \
    -o "-p $PG_PORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    cat "$PG_DIR/log" >&2 || true
    exit 1
fi
# SHOUWEI_BENCH_PG_CTYPE=C.UTF-8: the database's character classes (pg_trgm takes Chinese
# characters into trigrams only where the ctype says they are letters; bench_lists.py).
if [[ -n ${SHOUWEI_BENCH_PG_CTYPE:-} ]]; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres -T template0 \
        --lc-collate=C --lc-ctype="$SHOUWEI_BENCH_PG_CTYPE" shouwei
else
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres shouwei
fi
echo "throwaway $("$PG_BIN/postgres" --version) on 127.0.0.1:$PG_PORT" >&2

if ((REPLICA)); then
    REPLICA_PORT=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # initdb -A trust lets 127.0.0.1 connect for replication; -R writes standby.signal and
    # primary_conninfo, so the copy starts as a hot standby streaming from the primary.
    runuser -u postgres -- "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres \
        -D "$PG_DIR/replica" -R -X stream >/dev/null
    if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -w -D "$PG_DIR/replica" -l "$PG_DIR/replica.log" \
        -o "-p $REPLICA_PORT -k $PG_DIR/sock -c listen_addresses=127.0.0.1 -c hot_standby=on" \
        start >/dev/null; then
        cat "$PG_DIR/replica.log" >&2 || true
        exit 1
    fi
    echo "streaming replica on 127.0.0.1:$REPLICA_PORT" >&2
    export SHOUWEI_REPLICA_URLS="postgres://postgres@127.0.0.1:$REPLICA_PORT/shouwei"
fi

# For a script that restarts the server (benchmarks/bench_faults.py).
export SHOUWEI_BENCH_PG_BIN=$PG_BIN SHOUWEI_BENCH_PG_DIR=$PG_DIR SHOUWEI_BENCH_PG_PORT=$PG_PORT

SHOUWEI_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/shouwei" "$@"
