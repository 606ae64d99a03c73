-- The explorer's lookup of a word's matches in the search index, at most max_rows of them. With a
-- LIMIT the planner prefers a sequential scan for a word it thinks common, expecting to stop early;
-- but the scan starts where the last one left off (synchronized scans) and may read most of the
-- table to reach matches that are all old or all new: ~300 ms at 1M events, one query in ten
-- (measured). A function's SET clause keeps the lookup on the trigram index for any word:
-- `pattern` is the one the index is asked for, `also` the other words, rechecked.
CREATE OR REPLACE FUNCTION audit_search_ids(pattern text, also text[], max_rows integer) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_seqscan = off
AS $$
  SELECT event_id FROM audit_search WHERE body LIKE pattern AND body LIKE ALL (also) LIMIT max_rows
$$;
