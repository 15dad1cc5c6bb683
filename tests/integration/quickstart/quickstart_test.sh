#!/usr/bin/env bash
# The README's first command, end to end (services, sample database, a worker from a cluster
# config, the MySQL connector registered through the CLI, changes made and read back from Kafka),
# twice: a second run starts over. Then, with it running: a second quickstart asking for a port it
# holds is refused before starting anything, naming the holder; a port left to the scripts skips
# ports in use. Then once on MySQL 9.7 (SLUICE_QUICKSTART_SERVER=mysql), which must print the same
# events as MariaDB did; `stop` stops the worker and both services.
#
# Run by CTest (CMakeLists.txt) with the ports, the build and a folder of its own in the environment.
set -euo pipefail
cd "$SLUICE_SOURCE_DIR"
source scripts/lib/common.sh

fail() { echo "FAIL: $*" >&2; exit 1; }
trap 'scripts/quickstart stop >/dev/null 2>&1 || true' EXIT

# A run's events (key, then value) without what differs from run to run and server to server:
# times, binlog positions and files, GTIDs, server ids, the writing connection (source.thread:
# MySQL's BEGIN carries it, MariaDB has none), and the rows' `updated` column.
comparable_events() {
  sed -E -e 's/,"updated":[0-9]+//g' -e 's/"(ts_ms|ts_us|ts_ns|server_id|pos)":[0-9]+/"\1":N/g' \
    -e 's/"thread":([0-9]+|null)/"thread":X/g' \
    -e 's/"(gtid|file)":("[^"]*"|null)/"\1":X/g' "$1"
}

scripts/quickstart
scripts/quickstart
comparable_events "$SLUICE_QUICKSTART_DIR/events.txt" >"$SLUICE_QUICKSTART_DIR/events-mariadb.txt"
[ "$(wc -l <"$SLUICE_QUICKSTART_DIR/events-mariadb.txt")" = 7 ] || fail "MariaDB: not 7 events"
grep -q "^kafka_port=$KAFKA_PORT$" "$SLUICE_QUICKSTART_DIR/ports" || fail "the chosen Kafka port was not recorded"

# Kafka's two ports, MariaDB's and the worker's are held: asked for, each is refused, by name.
busy="$SLUICE_QUICKSTART_DIR-second"
expect_refused() {  # VARIABLE PORT OWNER
  local output
  if output=$(env -u KAFKA_PORT -u MARIADB_PORT -u SLUICE_ADMIN_PORT "$1=$2" \
      SLUICE_QUICKSTART_DIR="$busy" scripts/quickstart 2>&1); then
    fail "a second quickstart took $1=$2, which the first one holds"
  fi
  grep -q "port $2 on 127.0.0.1 is in use by $3 (pid [0-9]*)" <<<"$output" ||
    fail "the refusal of $1=$2 does not name $3: $output"
  [ ! -e "$busy/ports" ] || fail "a refused quickstart started something ($busy/ports exists)"
}
expect_refused KAFKA_PORT "$KAFKA_PORT" java
expect_refused MARIADB_PORT "$MARIADB_PORT" mariadbd
expect_refused SLUICE_ADMIN_PORT "$SLUICE_ADMIN_PORT" sluice
rm -rf "$busy"

# Left to choose from a held port onwards, a script takes the first free run of ports after it.
unset CHOSEN_PORT
chosen=$(choose_port CHOSEN_PORT "$KAFKA_PORT" 2)
[ "$chosen" -gt $((KAFKA_PORT + 1)) ] || fail "choose_port offered $chosen, which Kafka holds"
! port_open "$chosen" && ! port_open $((chosen + 1)) || fail "choose_port offered $chosen, which is in use"

# The same on MySQL 9.7: the MariaDB run is stopped first, the events are the same.
SLUICE_QUICKSTART_SERVER=mysql scripts/quickstart
! port_open "$MARIADB_PORT" || fail "the MySQL run left the MariaDB run's server running"
grep -q "^server=mysql$" "$SLUICE_QUICKSTART_DIR/ports" || fail "the MySQL run was not recorded"
comparable_events "$SLUICE_QUICKSTART_DIR/events.txt" >"$SLUICE_QUICKSTART_DIR/events-mysql.txt"
diff -u "$SLUICE_QUICKSTART_DIR/events-mariadb.txt" "$SLUICE_QUICKSTART_DIR/events-mysql.txt" ||
  fail "MySQL's events differ from MariaDB's (above)"

scripts/quickstart stop
for port in "$KAFKA_PORT" "$MYSQL_PORT" "$SLUICE_ADMIN_PORT"; do
  ! port_open "$port" || fail "port $port still answers after scripts/quickstart stop"
done
[ ! -e "$SLUICE_QUICKSTART_DIR/ports" ] || fail "stop left the ports file behind"
