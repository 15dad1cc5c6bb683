"""What the whole machine spends over a timed window: the CPU time of each process that takes part
besides the system under test (the Kafka broker's JVM, the database server, this harness) and the
machine's busy CPU time from /proc/stat, so that "the machine was full" is a figure, not a guess.
Each is read before and after the window (utime + stime of /proc/<pid>/stat, all threads).

`python3 machine_usage.py --self-check` checks the readings against a child process that burns a
known CPU time (CTest: bench_machine_usage_test)."""

import os
import subprocess
import sys
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(path):
    """(name, CPU seconds so far, user + system) from a /proc stat file: a process's
    (/proc/<pid>/stat, all its threads) or a thread's (/proc/<pid>/task/<tid>/stat); None once it
    is gone."""
    try:
        with open(path) as stat:
            line = stat.read()
    except OSError:
        return None
    # The name is in parentheses and may hold spaces; utime and stime are fields 14 and 15 of the
    # line, at 11 and 12 after the ")".
    fields = line.rsplit(")", 1)[1].split()
    return line[line.index("(") + 1:line.rindex(")")], (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_seconds(pid):
    """Process `pid`'s CPU time so far, user + system, all its threads; None once it is gone."""
    stat = _stat(f"/proc/{pid}/stat")
    return stat and stat[1]


def thread_cpu_seconds(pid):
    """Each thread of process `pid`: tid -> (its name, its CPU time so far); {} once it is gone.
    The threads' own stat files, so that the busiest thread's pace is a figure."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return {}
    threads = {int(tid): _stat(f"/proc/{pid}/task/{tid}/stat") for tid in tids}
    return {tid: stat for tid, stat in threads.items() if stat is not None}  # None: ended since the listing


def machine_cpu_seconds():
    """(busy, all): the machine's CPU time so far over all cores, from /proc/stat's first line;
    busy is user, nice, system, irq, softirq and steal, all adds idle and iowait."""
    with open("/proc/stat") as stat:
        user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in stat.readline().split()[1:9])
    busy = user + nice + system + irq + softirq + steal
    return busy / CLOCK_TICKS, (busy + idle + iowait) / CLOCK_TICKS


def _pid_from(path, commands):
    """The pid a service script wrote to `path`, checked to be a live process named one of
    `commands`; None if there is no such file (the window then leaves that process out)."""
    try:
        with open(path) as pid_file:
            pid = int(pid_file.read().strip())
    except (OSError, ValueError):
        return None
    try:
        with open(f"/proc/{pid}/comm") as comm:
            name = comm.read().strip()
    except OSError:
        return None
    if name not in commands:
        raise RuntimeError(f"{path} names pid {pid}, a {name}, not {' or '.join(commands)}")
    return pid


def service_pids(cache):
    """The benchmark's broker and database, from the pid files scripts/services/kafka, mariadb and
    mysql write under `cache`/services/<service>-<port>/ (MySQL's is a link into its root)."""
    services = os.path.join(cache, "services")
    database_port = os.environ.get("BENCH_DATABASE_PORT", "")
    database = (os.path.join(services, f"mysql-{database_port}", "mysqld.pid")
                if os.environ.get("BENCH_SERVER") == "mysql"
                else os.path.join(services, f"mariadb-{database_port}", "mariadbd.pid"))
    pids = {
        "kafka_broker": _pid_from(os.path.join(services, f"kafka-{os.environ.get('BENCH_KAFKA_PORT', '')}",
                                               "kafka.pid"), ("java",)),
        "database": _pid_from(database, ("mariadbd", "mysqld")),
    }
    return {name: pid for name, pid in pids.items() if pid is not None}


def harness_cpu_seconds():
    """This harness's CPU time so far (its Kafka client's threads included): it polls the data
    topic's end offsets while a system runs."""
    times = os.times()
    return times.user + times.system


class Window:
    """One timed window: start() before it, stop() after; figures() then gives each process's CPU
    seconds (`<name>_cpu_seconds`), the harness's, and the machine's busy and all-core seconds."""

    def __init__(self, pids, threads_of=None):
        """`pids`: name -> pid; `threads_of`: the name of one of them whose threads are also read."""
        self.pids = dict(pids)
        self.threads_of = threads_of

    def start(self):
        if self.threads_of:
            self.threads_started = thread_cpu_seconds(self.pids[self.threads_of])
        self.started = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.harness_started = harness_cpu_seconds()
        self.machine_started = machine_cpu_seconds()
        self.started_at = time.monotonic()
        return self

    def stop(self):
        self.seconds = time.monotonic() - self.started_at
        busy, every = machine_cpu_seconds()
        self.machine = (busy - self.machine_started[0], every - self.machine_started[1])
        self.harness = harness_cpu_seconds() - self.harness_started
        stopped = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.processes = {name: stopped[name] - self.started[name] for name in self.pids
                          if stopped[name] is not None and self.started[name] is not None}
        if self.threads_of:
            ended = thread_cpu_seconds(self.pids[self.threads_of])
            # A thread started during the window counts from zero.
            self.threads = [(tid, name, seconds - self.threads_started.get(tid, (name, 0.0))[1])
                            for tid, (name, seconds) in ended.items()]
        return self

    def thread_figures(self, events, prefix=""):
        """The `threads_of` process's threads over the window (threads_per_event)."""
        return threads_per_event(self.threads, events, f"{prefix}{self.threads_of}_")

    def figures(self):
        return {
            **{f"{name}_cpu_seconds": seconds for name, seconds in self.processes.items()},
            "harness_cpu_seconds": self.harness,
            "machine_busy_cpu_seconds": self.machine[0],
            "machine_cpu_seconds": self.machine[1],
        }


def tool_figures(tool):
    """A ceiling tool's JSON (--observe) as a Window's figures: its observed processes' CPU
    seconds (one gone or unreadable left out) and the machine's, over the tool's timed part."""
    return {
        **{f"{name}_cpu_seconds": seconds for name, seconds in tool["observed_cpu_seconds"].items() if seconds >= 0},
        "machine_busy_cpu_seconds": tool["machine_busy_cpu_seconds"],
        "machine_cpu_seconds": tool["machine_cpu_seconds"],
    }


def threads_per_event(threads, events, prefix):
    """From (tid, name, CPU seconds) of one process's threads over a window with `events`: the
    threads that ran, busiest first, with their CPU s per million events (`<prefix>threads`), and
    the busiest one's (`<prefix>busiest_thread_cpu_seconds_per_million_events`): its pace bounds
    the process's when cores are free."""
    ran = sorted((t for t in threads if t[2] > 0), key=lambda t: -t[2])
    out = {f"{prefix}threads": [{"tid": tid, "name": name, "cpu_seconds_per_million_events": seconds * 1e6 / events}
                                for tid, name, seconds in ran]}
    if ran:
        out[f"{prefix}busiest_thread_cpu_seconds_per_million_events"] = ran[0][2] * 1e6 / events
    return out


def tool_threads(tool, events, prefix):
    """A ceiling tool's own threads over its timed part (its JSON's own_threads), as threads_per_event's."""
    return threads_per_event([(t["tid"], t["name"], t["cpu_seconds"]) for t in tool.get("own_threads", [])],
                             events, prefix)


def observe_arguments(pids):
    """The ceiling tools' --observe arguments for `pids` (name -> pid)."""
    return [argument for name, pid in pids.items() for argument in ("--observe", f"{name}={pid}")]


def per_event(figures, events, seconds, own_cpu_seconds, prefix=""):
    """From a window's `figures` (a Window's, or a ceiling tool's observed ones) over `seconds`
    with `events`, the JSON fields of a run: each process's CPU s per million events, the
    machine's busy CPU s per million, how many of its cores were busy on average, and what the
    named processes do not explain (other engineers' work, kernel threads), `other`. `own_cpu_seconds`
    is the measured process's own (the worker's, the ceiling tool's). Names get `prefix`."""
    out = {}
    named = own_cpu_seconds
    for key, value in figures.items():
        if key.endswith("_cpu_seconds") and not key.startswith("machine_"):
            out[f"{prefix}{key}_per_million_events"] = value * 1e6 / events
            named += value
    busy = figures["machine_busy_cpu_seconds"]
    out[f"{prefix}machine_busy_cpu_seconds_per_million_events"] = busy * 1e6 / events
    out[f"{prefix}other_cpu_seconds_per_million_events"] = (busy - named) * 1e6 / events
    out[f"{prefix}machine_cores_busy"] = busy / seconds
    out[f"{prefix}machine_cores"] = figures["machine_cpu_seconds"] / seconds
    # The named processes cannot have spent more than the machine (10 ms ticks aside): if they
    # did, a pid is not what it was taken for, and the figures say so rather than mislead.
    if busy - named < -max(0.05, 0.05 * busy):
        out[f"{prefix}machine_usage_problem"] = (f"the named processes spent {named:.2f} CPU s, more than "
                                                  f"the machine's busy {busy:.2f} s")
    return out


def self_check():
    """A child burns ~0.4 CPU s on one thread; its window reading, process and thread, must say so,
    and the machine's busy time must hold at least that much. Returns a problem, or None."""
    # The child burns between two lines: "go" from here, "burnt" back; it stays alive (unreaped)
    # until its stdin closes, so its /proc entry is there to read after the burn.
    burn = ("import sys, time\nsys.stdin.readline()\nend = time.process_time() + 0.4\n"
            "while time.process_time() < end: pass\nprint('burnt', flush=True)\nsys.stdin.read()\n")
    child = subprocess.Popen([sys.executable, "-c", burn], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    window = Window({"child": child.pid}, threads_of="child").start()
    child.stdin.write("go\n")
    child.stdin.flush()
    child.stdout.readline()
    window.stop()
    child.stdin.close()
    child.wait()
    figures = window.figures()
    child_seconds = figures.get("child_cpu_seconds")
    if child_seconds is None or not 0.35 <= child_seconds <= 0.8:
        return f"the child burned ~0.4 CPU s; its window reading says {child_seconds}"
    if figures["machine_busy_cpu_seconds"] < child_seconds - 0.05:
        return f"the machine's busy time {figures['machine_busy_cpu_seconds']:.2f} s is less than the child's {child_seconds:.2f} s"
    if not 0.9 * window.seconds <= figures["machine_cpu_seconds"] / os.cpu_count() <= 1.1 * window.seconds + 0.05:
        return f"all cores' time {figures['machine_cpu_seconds']:.2f} s does not match {os.cpu_count()} cores x {window.seconds:.2f} s"
    threads = window.thread_figures(1_000_000)
    if abs(threads.get("child_busiest_thread_cpu_seconds_per_million_events", -1) - child_seconds) > 0.05:
        return f"the child's one thread: {threads}, its process {child_seconds:.2f} s"
    derived = per_event(figures, 1_000_000, window.seconds, 0.0)
    if abs(derived["child_cpu_seconds_per_million_events"] - child_seconds) > 1e-9:
        return f"per_event: {derived}"
    return None


if __name__ == "__main__":
    if sys.argv[1:] != ["--self-check"]:
        sys.exit(__doc__)
    problem = self_check()
    print(f"machine_usage self-check: {problem or 'ok'}")
    sys.exit(1 if problem else 0)
