-- Wrote tests/unit/binlog/testdata/mysql-9.7-gtids.bin on MySQL 9.7.4 (scripts/services/mysql):
--   mariadb -h127.0.0.1 -P13316 -usluice_admin -psluice-admin --ssl-ca=.cache/services/mysql-13316/tls/ca.pem < this file
-- then the binary log file between the two FLUSH BINARY LOGS (SHOW BINARY LOGS names it), copied
-- from the server's binlog folder. It holds tagged GTIDs (GTID_TAGGED_LOG_EVENT), a PREVIOUS_GTIDS
-- event in the tagged encoding, and transactions compressed into TRANSACTION_PAYLOAD events.
CREATE DATABASE IF NOT EXISTS t;
DROP TABLE IF EXISTS t.gtids;
CREATE TABLE t.gtids (id INT PRIMARY KEY, v VARCHAR(20));
SET gtid_next = 'AUTOMATIC:first_tag';
INSERT INTO t.gtids VALUES (0, 'before');
SET gtid_next = 'AUTOMATIC';
FLUSH BINARY LOGS;
INSERT INTO t.gtids VALUES (1, 'plain');
SET gtid_next = 'AUTOMATIC:mytag';
INSERT INTO t.gtids VALUES (2, 'tagged');
SET gtid_next = 'AUTOMATIC';
SET SESSION binlog_transaction_compression = ON;
INSERT INTO t.gtids VALUES (3, 'compressed'), (4, 'compressed');
SET gtid_next = 'AUTOMATIC:mytag';
UPDATE t.gtids SET v = 'compressed tagged' WHERE id = 1;
SET gtid_next = 'AUTOMATIC';
SET SESSION binlog_transaction_compression = OFF;
DELETE FROM t.gtids WHERE id = 0;
FLUSH BINARY LOGS;
