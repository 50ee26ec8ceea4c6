#!/usr/bin/env bash
# A throwaway local PostgreSQL server for the tests and benchmarks of the PostgreSQL store.
#
#   scripts/postgres.sh start DIR   # new cluster in DIR, listening on 127.0.0.1 and a socket in DIR;
#                                   # creates the database `jobqueue` and prints its URL
#   scripts/postgres.sh restart DIR # restarts it (fast shutdown: open connections are cut)
#   scripts/postgres.sh stop DIR    # stops the server and deletes DIR
#
# Needs PostgreSQL's server binaries (Debian: `apt-get install -y postgresql`). When run as root,
# the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
set -euo pipefail

command=${1:-}
dir=${2:-}
if [[ -z $command || -z $dir ]]; then
    echo "usage: $0 start|restart|stop DIR" >&2
    exit 64
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z $bin ]]; then
    echo "$0: no PostgreSQL server found under /usr/lib/postgresql (apt-get install -y postgresql)" >&2
    exit 1
fi

as_server_user() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case $command in
start)
    mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres: "$dir"
    port=${JOBQUEUE_PG_PORT:-$((20000 + RANDOM % 20000))}
    as_server_user "$bin/initdb" --pgdata="$dir/data" --auth=trust --username=jobqueue --encoding=UTF8 --no-instructions >"$dir/initdb.log"
    # Throwaway data: durability settings stay at their defaults so figures are honest.
    # pg_stat_statements is loaded (not created) so benchmarks can count statements per job.
    echo "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300" \
        "-c shared_preload_libraries=pg_stat_statements" >"$dir/options"
    as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --silent -o "$(cat "$dir/options")" start
    as_server_user "$bin/createdb" --host="$dir" --port="$port" --username=jobqueue jobqueue
    echo "postgres://jobqueue@127.0.0.1:$port/jobqueue?sslmode=disable"
    ;;
restart)
    as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --mode=fast --wait --silent -o "$(cat "$dir/options")" restart
    ;;
stop)
    if [[ -d $dir/data ]]; then
        as_server_user "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait --silent stop || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|restart|stop DIR" >&2
    exit 64
    ;;
esac
