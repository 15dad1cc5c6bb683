#!/usr/bin/env bash
# The README's first command, end to end (services, sample database, a worker from a cluster
# config, the MySQL connector registered through the CLI, changes made and read back from Kafka),
# twice: a second run starts over. Then, with it running: a second quickstart asking for a port it
# holds is refused before starting anything, naming the holder; a port left to the scripts skips
# ports in use; `stop` stops the worker and both services.
#
# Run by CTest (CMakeLists.txt) with the ports, the build and a folder of its own in the environment.
set -euo pipefail
cd "$SLUICE_SOURCE_DIR"
source scripts/lib/common.sh

fail() { echo "FAIL: $*" >&2; exit 1; }
trap 'scripts/quickstart stop >/dev/null 2>&1 || true' EXIT

scripts/quickstart
scripts/quickstart
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

scripts/quickstart stop
for port in "$KAFKA_PORT" "$MARIADB_PORT" "$SLUICE_ADMIN_PORT"; do
  ! port_open "$port" || fail "port $port still answers after scripts/quickstart stop"
done
[ ! -e "$SLUICE_QUICKSTART_DIR/ports" ] || fail "stop left the ports file behind"
