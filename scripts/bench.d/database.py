"""The benchmark's database (MariaDB 10.11 or MySQL 9.7): schema, bulk loads and paced writes through
Debian's `mariadb` client, which speaks to both."""

import os

import random
import subprocess
import time

TABLE_DDL = """
CREATE TABLE bench.orders (
  id BIGINT PRIMARY KEY,
  customer INT NOT NULL,
  item CHAR(60) NOT NULL,
  note CHAR(60) NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  created DATETIME(6) NOT NULL
)"""


def row_values(row_id):
    # Six columns as in the decoder benchmark: BIGINT key, INT, two CHAR(60), DECIMAL(12,2), DATETIME(6).
    return (f"({row_id},{row_id % 9973},'item-{row_id:054d}','note-{row_id * 7:054d}',"
            f"{(row_id % 100000) / 100:.2f},NOW(6))")


class Database:
    def __init__(self, server, port):
        self.server = server  # "mariadb" or "mysql"
        self.port = port
        self.user = "sluice_admin"
        self.password = "sluice-admin"

    def client(self):
        return ["mariadb", "-h127.0.0.1", f"-P{self.port}", f"-u{self.user}", f"-p{self.password}",
                "--batch", "--skip-column-names"]

    @staticmethod
    def from_environment():
        """The database scripts/bench started: BENCH_SERVER on BENCH_DATABASE_PORT."""
        return Database(os.environ.get("BENCH_SERVER", "mariadb"), int(os.environ["BENCH_DATABASE_PORT"]))

    def reset_binlog_sql(self):
        """Empties the binlog (and MySQL's executed GTIDs); MySQL 8.4 renamed RESET MASTER."""
        return "RESET BINARY LOGS AND GTIDS;" if self.server == "mysql" else "RESET MASTER;"

    def version(self):
        return self.sql("SELECT VERSION();").strip()

    def sql(self, text):
        result = subprocess.run(self.client(), input=text, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"mariadb: {result.stderr.strip()}\nSQL: {text[:300]}")
        return result.stdout

    def fresh_table(self):
        """An empty bench.orders in a fresh binlog that starts with its CREATE TABLE: a connector
        reading from the binlog's start reads the table's DDL (Debezium needs it to know the
        schema), then exactly what the workload writes next."""
        self.sql("DROP DATABASE IF EXISTS bench;")
        self.sql(self.reset_binlog_sql())
        self.sql("CREATE DATABASE bench;" + TABLE_DDL + ";")

    def after_first_transaction(self):
        """MySQL in GTID mode: where the binlog's first transaction ends, as Debezium's offset
        fields: {"file", "pos", "gtids"} (that transaction's GTID, the set processed so far)."""
        first_file = self.sql("SHOW BINARY LOGS;").splitlines()[0].split("\t")[0]
        events = [line.split("\t") for line in self.sql(f"SHOW BINLOG EVENTS IN '{first_file}';").splitlines()]
        gtid_events = [event for event in events if event[2] == "Gtid"]
        if len(gtid_events) < 2:
            raise RuntimeError(f"{first_file} holds fewer than two transactions")
        # Info: SET @@SESSION.GTID_NEXT= 'uuid:1'
        gtid = gtid_events[0][5].split("'")[1]
        return {"file": first_file, "pos": int(gtid_events[1][1]), "gtids": gtid}

    def load(self, rows, rows_per_transaction, first_id=1):
        """Inserts `rows` rows, `rows_per_transaction` per transaction, streamed to one client."""
        process = subprocess.Popen(self.client(), stdin=subprocess.PIPE, text=True,
                                   stdout=subprocess.DEVNULL)
        next_id = first_id
        end = first_id + rows
        while next_id < end:
            batch_end = min(end, next_id + rows_per_transaction)
            values = ",".join(row_values(i) for i in range(next_id, batch_end))
            if rows_per_transaction == 1:
                process.stdin.write(f"INSERT INTO bench.orders VALUES {values};\n")
            else:
                process.stdin.write(f"START TRANSACTION;INSERT INTO bench.orders VALUES {values};COMMIT;\n")
            next_id = batch_end
        process.stdin.close()
        if process.wait() != 0:
            raise RuntimeError("loading rows failed")

    def mixed(self, operations, seed=7):
        """Inserts, updates and deletes, 60/30/10, one per transaction. Returns, per key, the list
        of operations in commit order ('c', 'u', 'd'): what the topic must show for that key."""
        rng = random.Random(seed)
        live = []
        history = {}
        next_id = 1
        statements = []
        for _ in range(operations):
            roll = rng.random()
            if roll < 0.6 or len(live) < 10:
                statements.append(f"INSERT INTO bench.orders VALUES {row_values(next_id)};")
                history.setdefault(next_id, []).append("c")
                live.append(next_id)
                next_id += 1
            elif roll < 0.9:
                key = live[rng.randrange(len(live))]
                statements.append(f"UPDATE bench.orders SET customer = customer + 1 WHERE id = {key};")
                history[key].append("u")
            else:
                index = rng.randrange(len(live))
                key = live[index]
                live[index] = live[-1]
                live.pop()
                statements.append(f"DELETE FROM bench.orders WHERE id = {key};")
                history[key].append("d")
        self.sql("\n".join(statements))
        return history

    def paced_inserts(self, rate, seconds, first_id, stop=lambda: False):
        """Inserts one row per transaction at `rate` rows/s for `seconds` (or until stop());
        each row's `created` column holds its commit time (NOW(6)), from which latency is
        measured. Returns how many it inserted."""
        process = subprocess.Popen(self.client(), stdin=subprocess.PIPE, text=True,
                                   stdout=subprocess.DEVNULL)
        start = time.monotonic()
        total = int(rate * seconds)
        sent = 0
        for n in range(total):
            if stop():
                break
            due = start + n / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            process.stdin.write(f"INSERT INTO bench.orders VALUES {row_values(first_id + n)};\n")
            process.stdin.flush()
            sent += 1
        process.stdin.close()
        process.wait()
        return sent
