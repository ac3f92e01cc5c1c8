/**
 * Business queries. Every statement goes through `Db.run` (one span + latency sample each).
 *
 * Distances are computed on the sphere (PostGIS geography with use_spheroid = false, mean Earth radius
 * 6371008.8 m): the same model as the `<->` KNN operator, so the radius filter, the ordering and the reported
 * `distance_m` agree exactly. The sphere differs from the WGS 84 spheroid by at most ~0.5%.
 */
import type { Db } from "./db";

export interface Business {
  id: string;
  name: string;
  description: string;
  category: string;
  province: string;
  city: string;
  address: string | null;
  phone: string | null;
  lat: number;
  lng: number;
  createdAt: string;
  updatedAt: string;
}

export interface ListFilters {
  category?: string;
  province?: string;
  city?: string;
  limit: number;
  after?: { name: string; id: string };
}

export interface BusinessInput {
  name: string;
  description?: string;
  category: string;
  province: string;
  city: string;
  address?: string | null;
  phone?: string | null;
  lat: number;
  lng: number;
}

/** The select list of a business, its columns qualified with `alias.` when the query aliases the table. */
function columns(alias = ""): string {
  const c = alias ? `${alias}.` : "";
  return `${c}id, ${c}name, ${c}description, ${c}category, ${c}province, ${c}city, ${c}address, ${c}phone,
  ST_Y(${c}location::geometry) AS lat, ST_X(${c}location::geometry) AS lng, ${c}created_at, ${c}updated_at`;
}

const COLUMNS = columns();
/** COLUMNS for a query where `businesses` is aliased `b`. */
const PREFIXED_COLUMNS = columns("b");

/**
 * Search ranks at most 2 x this many candidate rows (name matches + any matches); queries with fewer matches
 * are ranked exactly. 300 keeps the worst case (a word in ~1/12 of 100k rows) near 3 ms of database time.
 */
export const SEARCH_CANDIDATES = 300;

/** A row as selected by `columns()`: the API shape with the timestamps still as dates, in snake case. */
type Row = Omit<Business, "createdAt" | "updatedAt"> & { created_at: Date; updated_at: Date };

function toBusiness(r: Row): Business {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    category: r.category,
    province: r.province,
    city: r.city,
    address: r.address,
    phone: r.phone,
    lat: r.lat,
    lng: r.lng,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export class BusinessRepository {
  constructor(private readonly db: Db) {}

  async list(f: ListFilters): Promise<{ items: Business[]; next?: { name: string; id: string } }> {
    const rows = await this.db.run(
      "businesses.list",
      "SELECT ... FROM businesses WHERE [filters] AND (name, id) > ($after) ORDER BY name, id LIMIT $limit",
      (sql) => sql<Row[]>`
        SELECT ${sql.unsafe(COLUMNS)} FROM businesses
        WHERE true
          ${f.category ? sql`AND category = ${f.category}` : sql``}
          ${f.province ? sql`AND province = ${f.province}` : sql``}
          ${f.city ? sql`AND city = ${f.city}` : sql``}
          ${f.after ? sql`AND (name, id) > (${f.after.name}, ${f.after.id}::uuid)` : sql``}
        ORDER BY name, id
        LIMIT ${f.limit + 1}`,
    );
    const items = rows.slice(0, f.limit).map(toBusiness);
    const last = items[items.length - 1];
    return { items, next: rows.length > f.limit && last ? { name: last.name, id: last.id } : undefined };
  }

  async get(id: string): Promise<Business | undefined> {
    const rows = await this.db.run(
      "businesses.get",
      "SELECT ... FROM businesses WHERE id = $1",
      (sql) => sql<Row[]>`SELECT ${sql.unsafe(COLUMNS)} FROM businesses WHERE id = ${id}::uuid`,
    );
    return rows[0] ? toBusiness(rows[0]) : undefined;
  }

  async nearby(
    lat: number,
    lng: number,
    radiusM: number,
    limit: number,
    category?: string,
  ): Promise<(Business & { distanceM: number })[]> {
    const rows = await this.db.run(
      "businesses.nearby",
      category
        ? "SELECT ..., ST_Distance(location, $p, false) FROM businesses WHERE ST_DWithin(location, $p, $r, false) AND category = $c ORDER BY location <-> $p LIMIT $n"
        : "SELECT ..., ST_Distance(location, $p, false) FROM (SELECT * FROM businesses ORDER BY location <-> $p LIMIT $n) WHERE ST_DWithin(location, $p, $r, false)",
      (sql) => {
        // The point is written inline (not joined from a CTE) so the planner sees a constant and can walk the
        // GiST index in distance order (KNN) and stop after LIMIT rows; no secondary sort key for the same reason.
        const point = sql`ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326)::geography`;
        if (category) {
          return sql<(Row & { distance_m: number })[]>`
            SELECT ${sql.unsafe(COLUMNS)}, ST_Distance(location, ${point}, false) AS distance_m
            FROM businesses
            WHERE ST_DWithin(location, ${point}, ${radiusM}::float8, false) AND category = ${category}
            ORDER BY location <-> ${point}
            LIMIT ${limit}`;
        }
        // Without a category: the LIMIT nearest rows, then the radius. Same result (the rows within the radius
        // are a prefix of the nearest-first order), but the inner query has no ST_DWithin filter whose
        // selectivity PostGIS underestimates in dense areas (a few rows instead of thousands), which made the
        // planner pick a bitmap scan of every row within the radius plus a sort (20-160 ms) instead of the KNN
        // walk (< 1 ms). Pure KNN + LIMIT always reads about LIMIT index entries.
        return sql<(Row & { distance_m: number })[]>`
          SELECT ${sql.unsafe(COLUMNS)}, ST_Distance(location, ${point}, false) AS distance_m
          FROM (SELECT * FROM businesses ORDER BY location <-> ${point} LIMIT ${limit}) nearest
          WHERE ST_DWithin(location, ${point}, ${radiusM}::float8, false)
          ORDER BY location <-> ${point}`;
      },
    );
    return rows.map((r) => ({ ...toBusiness(r), distanceM: Math.round(r.distance_m * 10) / 10 }));
  }

  /**
   * Full-text search (Spanish stemming, accents removed on both sides). Rank: ts_rank_cd with weights
   * name (A) > category/city/province (B) > description (C), normalised by document length. With a point,
   * the rank is multiplied by a proximity boost in (1, 2]: 1 + 1 / (1 + km / 5).
   *
   * Bounded ranking: common words match ~1/12 of all rows, and ranking every match before LIMIT cost one heap
   * visit plus one ts_rank_cd (and one ST_Distance with a point) per match. Only a candidate set is ranked:
   * up to SEARCH_CANDIDATES rows whose name matches (GIN index on the name's tsvector, migration 004) plus up
   * to SEARCH_CANDIDATES rows matching anywhere (GIN index on `search`), each arm in index (physical) order.
   * When a query has at most SEARCH_CANDIDATES matches the result is exactly the full ranking; beyond that
   * it is the best of the candidates (name matches always included first). See docs/app-benchmark.md.
   * The tsquery is written inline in every arm (not joined from a CTE) so the planner sees a constant.
   */
  async search(
    q: string,
    limit: number,
    near?: { lat: number; lng: number },
  ): Promise<(Business & { rank: number; distanceM?: number })[]> {
    const rows = await this.db.run(
      "businesses.search",
      "SELECT ... FROM (name matches LIMIT $c UNION ALL matches LIMIT $c) ORDER BY ts_rank_cd(search, q) [* boost] DESC LIMIT $n",
      (sql) => {
        const query = sql`websearch_to_tsquery('es_unaccent', ${q})`;
        // A constant, not a parameter: the planner costs each arm for exactly this many rows.
        const point = near
          ? sql`ST_SetSRID(ST_MakePoint(${near.lng}::float8, ${near.lat}::float8), 4326)::geography`
          : undefined;
        return sql<(Row & { rank: number; distance_m: number | null })[]>`
          WITH candidates AS (
            (SELECT id, name, search, location FROM businesses
             WHERE to_tsvector('es_unaccent'::regconfig, name) @@ ${query}
             LIMIT ${sql.unsafe(String(SEARCH_CANDIDATES))})
            UNION ALL
            (SELECT id, name, search, location FROM businesses
             WHERE search @@ ${query}
             LIMIT ${sql.unsafe(String(SEARCH_CANDIDATES))})
          ),
          scored AS (
            SELECT DISTINCT id, name,
                   ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', search, ${query}, 1) AS text_rank,
                   ${point ? sql`ST_Distance(location, ${point}, false)` : sql`NULL::float8`} AS distance_m
            FROM candidates
          ),
          top AS (
            SELECT id, name, distance_m,
                   CASE WHEN distance_m IS NULL THEN text_rank
                        ELSE text_rank * (1 + 1 / (1 + distance_m / 5000.0)) END AS rank
            FROM scored
            ORDER BY rank DESC, name, id
            LIMIT ${limit}
          )
          SELECT ${sql.unsafe(PREFIXED_COLUMNS)}, top.distance_m, top.rank
          FROM top JOIN businesses b ON b.id = top.id
          ORDER BY top.rank DESC, top.name, top.id`;
      },
    );
    return rows.map((r) => ({
      ...toBusiness(r),
      rank: Math.round(r.rank * 1e6) / 1e6,
      ...(r.distance_m == null ? {} : { distanceM: Math.round(r.distance_m * 10) / 10 }),
    }));
  }

  async create(input: BusinessInput): Promise<Business> {
    const rows = await this.db.run(
      "businesses.create",
      "INSERT INTO businesses (...) VALUES (...) RETURNING ...",
      (sql) => sql<Row[]>`
        INSERT INTO businesses (name, description, category, province, city, address, phone, location)
        VALUES (${input.name}, ${input.description ?? ""}, ${input.category}, ${input.province}, ${input.city},
                ${input.address ?? null}, ${input.phone ?? null},
                ST_SetSRID(ST_MakePoint(${input.lng}::float8, ${input.lat}::float8), 4326)::geography)
        RETURNING ${sql.unsafe(COLUMNS)}`,
    );
    return toBusiness(rows[0]);
  }

  async update(id: string, patch: Partial<BusinessInput>): Promise<Business | undefined> {
    const rows = await this.db.run(
      "businesses.update",
      "UPDATE businesses SET ... WHERE id = $1 RETURNING ...",
      (sql) => sql<Row[]>`
        UPDATE businesses SET
          name = COALESCE(${patch.name ?? null}, name),
          description = COALESCE(${patch.description ?? null}, description),
          category = COALESCE(${patch.category ?? null}, category),
          province = COALESCE(${patch.province ?? null}, province),
          city = COALESCE(${patch.city ?? null}, city),
          address = ${patch.address === undefined ? sql`address` : sql`${patch.address}`},
          phone = ${patch.phone === undefined ? sql`phone` : sql`${patch.phone}`},
          location = ${
            patch.lat !== undefined && patch.lng !== undefined
              ? sql`ST_SetSRID(ST_MakePoint(${patch.lng}::float8, ${patch.lat}::float8), 4326)::geography`
              : sql`location`
          },
          updated_at = now()
        WHERE id = ${id}::uuid
        RETURNING ${sql.unsafe(COLUMNS)}`,
    );
    return rows[0] ? toBusiness(rows[0]) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.run(
      "businesses.delete",
      "DELETE FROM businesses WHERE id = $1",
      (sql) => sql`DELETE FROM businesses WHERE id = ${id}::uuid RETURNING id`,
    );
    return rows.length > 0;
  }

  async counts(): Promise<{ category: string; province: string; businesses: number; refreshedAt: string }[]> {
    const rows = await this.db.run(
      "business_counts.list",
      "SELECT category, province, businesses, refreshed_at FROM business_counts",
      async (sql) => {
        const [state] = await sql<{ populated: boolean }[]>`
          SELECT relispopulated AS populated FROM pg_class WHERE oid = 'business_counts'::regclass`;
        if (!state?.populated) return [];
        return sql<{ category: string; province: string; businesses: string; refreshed_at: Date }[]>`
          SELECT category, province, businesses, refreshed_at FROM business_counts ORDER BY category, province`;
      },
    );
    return rows.map((r) => ({
      category: r.category,
      province: r.province,
      businesses: Number(r.businesses),
      refreshedAt: r.refreshed_at.toISOString(),
    }));
  }
}
