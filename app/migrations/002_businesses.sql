-- The directory: one row per business, located by a geography point (WGS 84, metres).
CREATE TABLE businesses (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
  category    text NOT NULL CHECK (category ~ '^[a-z0-9-]{1,64}$'),
  province    text NOT NULL CHECK (char_length(province) BETWEEN 1 AND 100),
  city        text NOT NULL CHECK (char_length(city) BETWEEN 1 AND 100),
  address     text CHECK (char_length(address) <= 300),
  phone       text CHECK (char_length(phone) <= 40),
  location    geography(Point, 4326) NOT NULL,
  -- Weighted document: name (A) > category, city, province (B) > description (C); accents removed.
  search      tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('es_unaccent'::regconfig, name), 'A') ||
                setweight(to_tsvector('es_unaccent'::regconfig, replace(category, '-', ' ') || ' ' || city || ' ' || province), 'B') ||
                setweight(to_tsvector('es_unaccent'::regconfig, description), 'C')
              ) STORED,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Nearby: ST_DWithin + ORDER BY location <-> point both use this index.
CREATE INDEX businesses_location_gist ON businesses USING gist (location);
-- Full-text search.
CREATE INDEX businesses_search_gin ON businesses USING gin (search);
-- Keyset pagination (ORDER BY name, id) with and without filters.
CREATE INDEX businesses_name_id ON businesses (name, id);
CREATE INDEX businesses_category_name_id ON businesses (category, name, id);
CREATE INDEX businesses_province_city_name_id ON businesses (province, city, name, id);
