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

const COLUMNS = `id, name, description, category, province, city, address, phone,
  ST_Y(location::geometry) AS lat, ST_X(location::geometry) AS lng, created_at, updated_at`;

interface Row {
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
  created_at: Date;
  updated_at: Date;
}

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
      "SELECT ..., ST_Distance(location, $p, false) FROM businesses WHERE ST_DWithin(location, $p, $r, false) ORDER BY location <-> $p LIMIT $n",
      (sql) => {
        // The point is written inline (not joined from a CTE) so the planner sees a constant and can walk the
        // GiST index in distance order (KNN) and stop after LIMIT rows; no secondary sort key for the same reason.
        const point = sql`ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326)::geography`;
        return sql<(Row & { distance_m: number })[]>`
          SELECT ${sql.unsafe(COLUMNS)}, ST_Distance(location, ${point}, false) AS distance_m
          FROM businesses
          WHERE ST_DWithin(location, ${point}, ${radiusM}::float8, false)
            ${category ? sql`AND category = ${category}` : sql``}
          ORDER BY location <-> ${point}
          LIMIT ${limit}`;
      },
    );
    return rows.map((r) => ({ ...toBusiness(r), distanceM: Math.round(r.distance_m * 10) / 10 }));
  }

  /**
   * Full-text search (Spanish stemming, accents removed on both sides). Rank: ts_rank_cd with weights
   * name (A) > category/city/province (B) > description (C), normalised by document length. With a point,
   * the rank is multiplied by a proximity boost in (1, 2]: 1 + 1 / (1 + km / 5).
   */
  async search(
    q: string,
    limit: number,
    near?: { lat: number; lng: number },
  ): Promise<(Business & { rank: number; distanceM?: number })[]> {
    const rows = await this.db.run(
      "businesses.search",
      "SELECT ..., ts_rank_cd(search, q) FROM businesses, websearch_to_tsquery('es_unaccent', $1) q WHERE search @@ q ORDER BY rank DESC LIMIT $n",
      (sql) => sql<(Row & { rank: number; distance_m: number | null })[]>`
        WITH q AS (SELECT websearch_to_tsquery('es_unaccent', ${q}) AS query),
        p AS (SELECT ${near ? sql`ST_SetSRID(ST_MakePoint(${near.lng}::float8, ${near.lat}::float8), 4326)::geography` : sql`NULL::geography`} AS g),
        hits AS (
          SELECT b.*, ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', b.search, q.query, 1) AS text_rank,
                 CASE WHEN p.g IS NULL THEN NULL ELSE ST_Distance(b.location, p.g, false) END AS distance_m
          FROM businesses b, q, p
          WHERE b.search @@ q.query
        )
        SELECT ${sql.unsafe(COLUMNS)}, distance_m,
               CASE WHEN distance_m IS NULL THEN text_rank
                    ELSE text_rank * (1 + 1 / (1 + distance_m / 5000.0)) END AS rank
        FROM hits
        ORDER BY rank DESC, name, id
        LIMIT ${limit}`,
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
