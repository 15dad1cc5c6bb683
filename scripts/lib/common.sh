# Shared by the scripts in scripts/: where things live, how a script reports its steps and
# failures, and how it chooses the ports of the services it starts.
# Source it; it defines functions and variables only.

SLUICE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The ignored cache folder inside the checkout: downloads, the Kafka jars, service data, logs.
SLUICE_CACHE="${SLUICE_CACHE:-$SLUICE_ROOT/.cache}"
SLUICE_BUILD_DIR="${SLUICE_BUILD_DIR:-$SLUICE_ROOT/build}"

# The one pinned Kafka release (KRaft, from Maven Central). Debian's librdkafka 2.0.2 works with it.
SLUICE_KAFKA_VERSION="4.1.1"
SLUICE_KAFKA_HOME="$SLUICE_CACHE/kafka/$SLUICE_KAFKA_VERSION"
# The Kafka Connect release the REST API is compared with (tests/integration/rest; CMake reads
# the version from this line), and Kafka's FileStream connectors of the same release.
SLUICE_KAFKA_CONNECT_VERSION="4.3.1"
SLUICE_KAFKA_CONNECT_HOME="$SLUICE_CACHE/kafka-connect/$SLUICE_KAFKA_CONNECT_VERSION"
# A Python environment with a Kafka Connect REST client from PyPI, for the same tests.
SLUICE_REST_CLIENTS_VENV="$SLUICE_CACHE/rest-clients"
SLUICE_REST_CLIENTS=(kafka-connect-py==1.0.0)

say() { printf '%s: %s\n' "$(basename "$0")" "$*"; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
# The script's usage: its header comment, from the second line to the first line of code.
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

# ---- Steps: one progress line each, their output in one log file ----------------------------
#
#   steps_begin "$SLUICE_CACHE/logs/setup.log" 4     opens the log, names it, sets the step count
#   step "install Debian packages" "What to do when it fails" command args...
#
# prints `[ 1/4] install Debian packages ... done (41 s)` and sends the command's output to the log.
# When a step fails it prints the tail of that step's output, what to do, and where the full log
# is, then exits. `join_steps scripts/setup ...` runs a script whose steps continue the caller's
# numbering in the caller's log (scripts/quickstart's first four steps are scripts/setup's).

# steps_begin LOG TOTAL: LOG starts empty. Under join_steps, the caller's log and total instead.
steps_begin() {
  if [ -n "${SLUICE_JOIN_LOG:-}" ]; then
    SLUICE_LOG="$SLUICE_JOIN_LOG" SLUICE_STEPS="$SLUICE_JOIN_STEPS"
    unset SLUICE_JOIN_LOG SLUICE_JOIN_STEPS  # for this script only, not for what it runs
    return 0
  fi
  SLUICE_LOG="$1" SLUICE_STEPS="$2"
  mkdir -p "$(dirname "$SLUICE_LOG")"
  : >"$SLUICE_LOG"
  say "full log: $SLUICE_LOG"
}

join_steps() {
  SLUICE_JOIN_LOG="$SLUICE_LOG" SLUICE_JOIN_STEPS="$SLUICE_STEPS" "$@"
}

# 41 s, 2m05s
format_seconds() {
  if [ "$1" -lt 60 ]; then printf '%d s' "$1"; else printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); fi
}

# step NAME ADVICE COMMAND...: runs COMMAND in a subshell (so its `die` or `exit` ends the step,
# not the script) with errexit on, its output appended to the log.
step() {
  local name="$1" advice="$2"; shift 2
  [ -n "${SLUICE_STEPS:-}" ] || die "step '$name' before steps_begin"
  # The number comes from the log, which a nested script shares: one header line per step.
  local number
  number=$(($(grep -c '^==== step ' "$SLUICE_LOG" || true) + 1))
  local label
  label=$(printf '[%2d/%d] %s' "$number" "$SLUICE_STEPS" "$name")
  printf '%s ... ' "$label"
  printf '==== step %s (%s)\n' "$label" "$(date '+%H:%M:%S')" >>"$SLUICE_LOG"
  local first_line started="$SECONDS" status errexit="$-"
  first_line=$(($(wc -l <"$SLUICE_LOG") + 1))
  # Outside any `if` or `||`, so that set -e holds inside the subshell.
  set +e
  (set -e; "$@") >>"$SLUICE_LOG" 2>&1 </dev/null
  status=$?
  [[ "$errexit" == *e* ]] && set -e
  [ -z "$(tail -c 1 "$SLUICE_LOG")" ] || echo >>"$SLUICE_LOG"  # output without a last newline
  local took
  took=$(format_seconds $((SECONDS - started)))
  if [ "$status" = 0 ]; then
    printf '==== done (%s)\n' "$took" >>"$SLUICE_LOG"
    printf 'done (%s)\n' "$took"
    return 0
  fi
  printf '==== FAILED (%s, exit status %s)\n' "$took" "$status" >>"$SLUICE_LOG"
  printf 'FAILED (%s)\n' "$took"
  {
    echo "---- the last lines of this step's output:"
    tail -n "+$first_line" "$SLUICE_LOG" | grep -v '^==== FAILED' | tail -n 40
    echo "----"
  } >&2
  die "step '$name' failed. $advice. Full log: $SLUICE_LOG"
}

# ---- Debian packages ----------------------------------------------------------------------------

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "installing packages needs root; run as root or install sudo" >&2; return 1; fi
}

package_installed() {
  dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# install_debian_packages PACKAGE...: installs those missing, quietly on success.
install_debian_packages() {
  local missing=() package
  for package in "$@"; do
    package_installed "$package" || missing+=("$package")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "Debian packages: all present ($*)"
    return 0
  fi
  echo "Debian packages to install: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# ---- Maven -------------------------------------------------------------------------------------

# maven_copy_jars POM DIRECTORY [-Dname=value]...: copies the jars a POM depends on into DIRECTORY.
# Maven 3.8 prints colour resets even in quiet batch mode; they are stripped.
maven_copy_jars() {
  local pom="$1" directory="$2"; shift 2
  mvn -B -q -f "$pom" "$@" dependency:copy-dependencies "-DoutputDirectory=$directory" 2>&1 |
    sed 's/\x1b\[[0-9;]*m//g'
}

# ---- Ports ---------------------------------------------------------------------------------------
# Every service a script starts listens on 127.0.0.1, on a port the user chose (refused, naming its
# owner, when something else holds it) or on one checked to be free.

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null
}

# The process listening on a TCP port, as `java (pid 1234)`; `another process` when ss cannot
# tell (someone else's process, without root).
port_owner() {
  local owner
  owner=$(ss -ltnpH "sport = :$1" 2>/dev/null |
    sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\),.*/\1 (pid \2)/p' | head -n 1)
  echo "${owner:-another process}"
}

# Why a port is refused, naming its owner and the variable that chooses another one.
port_in_use_message() {
  echo "port $1 on 127.0.0.1 is in use by $(port_owner "$1"); stop it or choose another port with $2=..."
}

# choose_port VARIABLE DEFAULT [COUNT]: prints the first of COUNT consecutive ports (a Kafka
# broker takes two: clients, then its controller). The user's choice when VARIABLE is set, refused
# when any of its ports is in use; else the first free run from DEFAULT upwards.
choose_port() {
  local variable="$1" port="${2}" count="${3:-1}" offset
  if [ -n "${!variable:-}" ]; then
    port="${!variable}"
    [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le $((65536 - count)) ] ||
      die "$variable=$port is not a port number"
    for ((offset = 0; offset < count; offset++)); do
      port_open $((port + offset)) && die "$(port_in_use_message $((port + offset)) "$variable")"
    done
    echo "$port"
    return 0
  fi
  while [ "$port" -le $((65536 - count)) ]; do
    for ((offset = 0; offset < count; offset++)); do
      port_open $((port + offset)) && break
    done
    if [ "$offset" = "$count" ]; then
      echo "$port"
      return 0
    fi
    port=$((port + offset + 1))
  done
  die "no free port from $2 upwards; choose one with $variable=..."
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
