/**
 * The growth insight queries (GET /api/analytics/growth/insights). Each one reads one time range
 * [from, to) of `growth_events` through an index of migrations/006_events.sql. Definitions (also in
 * docs/app-growth.md):
 *
 * - top categories: SEARCH_QUERY events per `category` (client-supplied, or the best hit's category when the
 *   search endpoint recorded it), most first;
 * - gaps: SEARCH_QUERY events per (province, city) against the businesses listed there now, ordered by
 *   searches per business (places with searches and nothing listed first);
 * - search -> WhatsApp: sessions with at least one SEARCH_QUERY in the range, and how many of them have a
 *   WHATSAPP_CLICK at or after their first search (same range);
 * - A/B: per variant, distinct visitors exposed (assignment endpoint or any event tagged with the variant),
 *   and how many of them have a conversion event (the experiment's conversionTypes) tagged with it;
 *   statistics against the control (first) variant from statistics.ts.
 */
import type { Db } from "../db";
import type { Experiment } from "./experiments";
import { compareProportions, rate } from "./statistics";

export interface InsightRange {
  from: Date;
  /** Exclusive. */
  to: Date;
  limit: number;
}

export class InsightRepository {
  constructor(private readonly db: Db) {}

  async topCategories(r: InsightRange): Promise<{ category: string; searches: number }[]> {
    return this.db.run("growth.insights.categories", "SELECT FROM growth_events", async (sql) => {
      const rows = await sql<{ category: string; searches: string }[]>`
        SELECT category, count(*) AS searches
        FROM growth_events
        WHERE type = 'SEARCH_QUERY' AND occurred_at >= ${r.from} AND occurred_at < ${r.to} AND category IS NOT NULL
        GROUP BY category
        ORDER BY count(*) DESC, category
        LIMIT ${r.limit}`;
      return rows.map((x) => ({ category: x.category, searches: Number(x.searches) }));
    });
  }

  async gaps(r: InsightRange): Promise<
    {
      province: string;
      city: string;
      searches: number;
      businesses: number;
      searchesPerBusiness: number | null;
    }[]
  > {
    return this.db.run("growth.insights.gaps", "SELECT FROM growth_events", async (sql) => {
      const rows = await sql<{ province: string; city: string; searches: string; businesses: string }[]>`
        WITH demand AS (
          SELECT province, city, count(*) AS searches
          FROM growth_events
          WHERE type = 'SEARCH_QUERY' AND occurred_at >= ${r.from} AND occurred_at < ${r.to}
            AND province IS NOT NULL AND city IS NOT NULL
          GROUP BY province, city
        ), supply AS (
          SELECT b.province, b.city, count(*) AS businesses
          FROM businesses b JOIN demand d ON d.province = b.province AND d.city = b.city
          GROUP BY b.province, b.city
        )
        SELECT d.province, d.city, d.searches, coalesce(s.businesses, 0) AS businesses
        FROM demand d LEFT JOIN supply s ON s.province = d.province AND s.city = d.city
        ORDER BY d.searches::float8 / NULLIF(coalesce(s.businesses, 0), 0) DESC NULLS FIRST,
                 d.searches DESC, d.province, d.city
        LIMIT ${r.limit}`;
      return rows.map((x) => {
        const searches = Number(x.searches);
        const businesses = Number(x.businesses);
        return {
          province: x.province,
          city: x.city,
          searches,
          businesses,
          searchesPerBusiness: businesses > 0 ? searches / businesses : null,
        };
      });
    });
  }

  async searchToWhatsapp(
    r: InsightRange,
  ): Promise<{ searchSessions: number; convertedSessions: number; rate: number | null }> {
    return this.db.run("growth.insights.conversion", "SELECT FROM growth_events", async (sql) => {
      const [row] = await sql<{ sessions: string; converted: string }[]>`
        WITH s AS (
          SELECT session_id, min(occurred_at) AS first_search
          FROM growth_events
          WHERE type = 'SEARCH_QUERY' AND occurred_at >= ${r.from} AND occurred_at < ${r.to}
            AND session_id IS NOT NULL
          GROUP BY session_id
        )
        SELECT count(*) AS sessions,
               count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM growth_events w
                 WHERE w.type = 'WHATSAPP_CLICK' AND w.session_id = s.session_id
                   AND w.occurred_at >= s.first_search AND w.occurred_at < ${r.to}
               )) AS converted
        FROM s`;
      const searchSessions = Number(row.sessions);
      const convertedSessions = Number(row.converted);
      return {
        searchSessions,
        convertedSessions,
        rate: searchSessions > 0 ? convertedSessions / searchSessions : null,
      };
    });
  }

  /** Exposures and conversions per variant, every variant of the experiment listed (zeros included). */
  async experimentArms(
    experiment: Experiment,
    r: InsightRange,
  ): Promise<Map<string, { exposures: number; conversions: number }>> {
    const types = [...experiment.conversionTypes];
    const rows = await this.db.run(
      "growth.insights.experiment",
      "SELECT FROM experiment_exposures",
      (sql) => sql<{ variant_key: string; exposures: string; conversions: string }[]>`
      WITH exposed AS (
        SELECT DISTINCT visitor_id, variant_key FROM (
          SELECT visitor_id, variant_key FROM experiment_exposures
          WHERE experiment_key = ${experiment.key} AND exposed_at >= ${r.from} AND exposed_at < ${r.to}
          UNION ALL
          SELECT visitor_id, variant_key FROM growth_events
          WHERE experiment_key = ${experiment.key} AND occurred_at >= ${r.from} AND occurred_at < ${r.to}
        ) x
      ), converted AS (
        SELECT DISTINCT visitor_id, variant_key FROM growth_events
        WHERE experiment_key = ${experiment.key} AND occurred_at >= ${r.from} AND occurred_at < ${r.to}
          AND type = ANY(${types}::text[])
      )
      SELECT e.variant_key, count(*) AS exposures, count(c.visitor_id) AS conversions
      FROM exposed e LEFT JOIN converted c ON c.visitor_id = e.visitor_id AND c.variant_key = e.variant_key
      GROUP BY e.variant_key`,
    );
    const arms = new Map(experiment.variants.map((v) => [v.key, { exposures: 0, conversions: 0 }]));
    for (const row of rows) {
      arms.set(row.variant_key, { exposures: Number(row.exposures), conversions: Number(row.conversions) });
    }
    return arms;
  }
}

/** Per-variant rows of the A/B comparison: the control first, then every other variant compared with it. */
export function compareArms(
  experiment: Experiment,
  arms: Map<string, { exposures: number; conversions: number }>,
): {
  variantKey: string;
  control: boolean;
  exposures: number;
  conversions: number;
  rate: number | null;
  difference: number | null;
  ci95: [number, number] | null;
  z: number | null;
  pValue: number | null;
  reliable: boolean;
}[] {
  const controlKey = experiment.variants[0].key;
  const control = arms.get(controlKey) ?? { exposures: 0, conversions: 0 };
  // Variants no longer declared (tagged by old clients) are listed too, after the declared ones.
  const keys = [
    ...experiment.variants.map((v) => v.key),
    ...[...arms.keys()].filter((k) => !experiment.variants.some((v) => v.key === k)),
  ];
  return keys.map((key) => {
    const arm = arms.get(key) ?? { exposures: 0, conversions: 0 };
    const base = { variantKey: key, control: key === controlKey, ...arm, rate: rate(arm) };
    if (key === controlKey)
      return { ...base, difference: null, ci95: null, z: null, pValue: null, reliable: false };
    return { ...base, ...compareProportions(control, arm) };
  });
}
