-- Wrote tests/unit/binlog/testdata/mysql-9.7-types.bin on MySQL 9.7.4 (scripts/services/mysql):
--   mariadb -h127.0.0.1 -P13316 -usluice_admin -psluice-admin --ssl-ca=.cache/services/mysql-13316/tls/ca.pem < this file
-- then the binary log file between the two FLUSH BINARY LOGS, copied from the server's binlog
-- folder. MySQL's own types and layouts: YEAR before unsigned columns (MySQL counts YEAR in the
-- signedness bitmap), VECTOR, invisible and generated columns, binary JSON with every scalar
-- type, partial JSON updates, and the MINIMAL and NOBLOB row images.
CREATE DATABASE IF NOT EXISTS t;
DROP TABLE IF EXISTS t.types, t.images;
SET time_zone = '+00:00';
CREATE TABLE t.types (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  y YEAR, u TINYINT UNSIGNED, s TINYINT, bu BIGINT UNSIGNED,
  v VECTOR(3),
  hidden INT INVISIBLE,
  g_virtual INT AS (s * 2) VIRTUAL, g_stored VARCHAR(20) AS (CONCAT('id-', id)) STORED,
  e ENUM('red', 'it''s', 'a,b'), st SET('x', 'y''z', 'w'),
  b BIT(10), geo GEOMETRY SRID 4326,
  j JSON
) ENGINE=InnoDB;
CREATE TABLE t.images (id INT PRIMARY KEY, a INT, txt TEXT, j JSON) ENGINE=InnoDB;
FLUSH BINARY LOGS;
INSERT INTO t.types (id, y, u, s, bu, v, hidden, e, st, b, geo, j) VALUES
  (1, 2155, 255, -128, 18446744073709551615, STRING_TO_VECTOR('[1.5, -2, 3.25]'), 42,
   'it''s', 'x,y''z', b'1010101010', ST_GeomFromText('POINT(1 2)', 4326),
   JSON_OBJECT('int', 1, 'neg', -2, 'big', 18446744073709551615, 'small', -9223372036854775808,
               'dbl', 2.5, 'str', 'héllo', 'yes', TRUE, 'no', FALSE, 'nil', NULL,
               'dec', CAST(12.3400 AS DECIMAL(10,4)),
               'date', CAST('2024-02-29' AS DATE), 'time', CAST('12:00:00' AS TIME(6)),
               'datetime', CAST('2024-02-29 13:45:07' AS DATETIME(6)),
               'datetime3', CAST('2024-02-29 13:45:07.120' AS DATETIME(3)),
               'arr', JSON_ARRAY(1, 'two', JSON_ARRAY(), JSON_OBJECT()))),
  (2, 1901, 0, 127, 0, NULL, NULL, 'red', '', b'0', NULL, '[]');
UPDATE t.types SET s = 5, j = JSON_SET(j, '$.int', 7) WHERE id = 1;
INSERT INTO t.images VALUES (1, 1, REPEAT('t', 100), '{"k": "v", "n": 1}');
SET SESSION binlog_row_value_options = PARTIAL_JSON;
UPDATE t.images SET j = JSON_SET(j, '$.n', 2), a = 2 WHERE id = 1;
SET SESSION binlog_row_value_options = '';
SET SESSION binlog_row_image = MINIMAL;
UPDATE t.images SET a = 3 WHERE id = 1;
SET SESSION binlog_row_image = NOBLOB;
UPDATE t.images SET a = 4 WHERE id = 1;
SET SESSION binlog_row_image = FULL;
DELETE FROM t.types WHERE id = 2;
FLUSH BINARY LOGS;
