-- Business counts per category and province, refreshed by `job refresh-category-counts` (the scheduled job).
CREATE MATERIALIZED VIEW business_counts AS
  SELECT category, province, count(*)::bigint AS businesses, now() AS refreshed_at
  FROM businesses
  GROUP BY category, province
WITH NO DATA;

-- A unique index lets the job use REFRESH ... CONCURRENTLY (readers are never blocked).
CREATE UNIQUE INDEX business_counts_category_province ON business_counts (category, province);
