-- Extensions the schema needs. PostGIS for geography + GiST, unaccent for accent-insensitive Spanish search,
-- pg_trgm for fuzzy name matching, pgcrypto-free UUIDs via gen_random_uuid() (core since PostgreSQL 13).
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- A Spanish text search configuration that strips accents before stemming: "Café" and "cafe" match.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'es_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION es_unaccent (COPY = pg_catalog.spanish);
    ALTER TEXT SEARCH CONFIGURATION es_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
  END IF;
END
$$;
