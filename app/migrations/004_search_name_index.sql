-- Search ranks a bounded candidate set (see BusinessRepository.search): up to N rows whose *name* matches
-- (weight A, the best ranks) plus up to N rows matching anywhere. The name arm needs its own GIN index: the
-- weights in `search` are not stored in its GIN index, so `search @@ 'word:A'` would recheck every match.
-- The expression must stay byte-for-byte the one the query uses: to_tsvector('es_unaccent'::regconfig, name).
-- Built inside the migration transaction (blocks writes while it builds: about 1 s per 100k rows).
CREATE INDEX IF NOT EXISTS businesses_name_search_gin
  ON businesses USING gin (to_tsvector('es_unaccent'::regconfig, name));
