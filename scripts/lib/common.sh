# Shared by the scripts in scripts/: where things live and how a script reports failure.
# Source it; it defines functions and variables only.

SLUICE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The ignored cache folder inside the checkout: downloads, the Kafka jars, service data.
SLUICE_CACHE="${SLUICE_CACHE:-$SLUICE_ROOT/.cache}"
SLUICE_BUILD_DIR="${SLUICE_BUILD_DIR:-$SLUICE_ROOT/build}"

# The one pinned Kafka release (KRaft, from Maven Central). Debian's librdkafka 2.0.2 works with it.
SLUICE_KAFKA_VERSION="4.1.1"
SLUICE_KAFKA_HOME="$SLUICE_CACHE/kafka/$SLUICE_KAFKA_VERSION"

say() { printf '%s: %s\n' "$(basename "$0")" "$*"; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# Runs one named step; on failure names the step and what to do, then exits.
#   step "install Debian packages" "check that apt can reach Debian's mirrors" apt-get ...
step() {
  local name="$1" advice="$2"; shift 2
  say "$name"
  if ! "$@"; then
    die "step '$name' failed. $advice"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null
}

# Prints the command line of the process listening on a TCP port, when ss can tell.
port_owner() {
  ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n 1
}

# wait_for SECONDS COMMAND...: retries COMMAND every half second until it succeeds or time runs out.
wait_for() {
  local seconds="$1"; shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}
