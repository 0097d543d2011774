-- What sorting by line costs a first import's INSERT ... SELECT of ten million contacts
-- (interchange.writer.merge, README "Speed of the import"): the same join of a staging table of
-- text to a table of a million refs, read with and without ORDER BY line, twice each.
-- psql -d SCRATCH_DATABASE -f bench/sql/line_order.sql   (temporary tables only; about a minute)
SET work_mem = '256MB';  -- IMPORT_WORK_MEM's default
SET jit = off;
\timing on
CREATE TEMPORARY TABLE st AS
SELECT i + 1 AS line, 'K' || lpad(i::text, 9, '0') AS contact_ref,
       'C' || lpad((i / 10)::text, 8, '0') AS client_ref,
       ('2024-01-01'::date + (i % 700))::text AS date,
       (ARRAY['phone', 'email', 'in_person'])[1 + i % 3] AS channel,
       'Gesprek over werk en zorg ' || (i % 1000) AS subject
FROM generate_series(1, 10000000) AS i;
CREATE TEMPORARY TABLE cl AS
SELECT i::bigint AS id, ('C' || lpad(i::text, 8, '0'))::varchar(64) AS source_ref
FROM generate_series(0, 1000000) AS i;
ANALYZE st;
ANALYZE cl;
\set rows 'SELECT s.line, CAST(s.contact_ref AS varchar(64)), j.id, CAST(s.date AS date), s.channel, s.subject, now() FROM st AS s LEFT JOIN cl AS j ON j.source_ref = s.client_ref'
EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) :rows ORDER BY s.line;
EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) :rows;
EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) :rows ORDER BY s.line;
EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) :rows;
