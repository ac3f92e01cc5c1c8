/**
 * Image rows (migration 005_images.sql). Every statement goes through `Db.run`.
 */
import type { Db } from "../db";

export interface StoredVariant {
  key: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  role: "variant" | "original";
}

export interface ImageRecord {
  id: string;
  businessId: string;
  width: number;
  height: number;
  sourceType: string;
  sourceSize: number;
  processed: boolean;
  createdAt: string;
  variants: StoredVariant[];
}

interface ImageRow {
  id: string;
  business_id: string;
  width: number;
  height: number;
  source_type: string;
  source_size: number;
  processed: boolean;
  created_at: Date;
  variants: StoredVariant[];
}

const SELECT = `SELECT i.id, i.business_id, i.width, i.height, i.source_type, i.source_size, i.processed, i.created_at,
  coalesce((SELECT json_agg(json_build_object('key', v.storage_key, 'contentType', v.content_type, 'width', v.width,
    'height', v.height, 'bytes', v.bytes, 'role', v.role) ORDER BY v.width, v.content_type)
    FROM image_variants v WHERE v.image_id = i.id), '[]') AS variants
  FROM business_images i`;

const toRecord = (r: ImageRow): ImageRecord => ({
  id: r.id,
  businessId: r.business_id,
  width: r.width,
  height: r.height,
  sourceType: r.source_type,
  sourceSize: r.source_size,
  processed: r.processed,
  createdAt: r.created_at.toISOString(),
  variants: r.variants,
});

export class ImageRepository {
  constructor(private readonly db: Db) {}

  /** Whether the business exists (uploads to a missing business are 404 before any work). */
  async businessExists(id: string): Promise<boolean> {
    const rows = await this.db.run(
      "images.business_exists",
      "SELECT 1 FROM businesses WHERE id = $1",
      (sql) => sql`SELECT 1 FROM businesses WHERE id = ${id}::uuid`,
    );
    return rows.length > 0;
  }

  /** Inserts the image and its stored objects in one transaction. */
  async insert(
    image: Omit<ImageRecord, "createdAt" | "variants">,
    variants: StoredVariant[],
  ): Promise<ImageRecord> {
    return this.db.run(
      "images.insert",
      "INSERT INTO business_images ...; INSERT INTO image_variants ...",
      (sql) =>
        sql.begin(async (tx) => {
          await tx`INSERT INTO business_images (id, business_id, width, height, source_type, source_size, processed)
          VALUES (${image.id}::uuid, ${image.businessId}::uuid, ${image.width}, ${image.height}, ${image.sourceType},
                  ${image.sourceSize}, ${image.processed})`;
          for (const v of variants) {
            await tx`INSERT INTO image_variants (image_id, storage_key, content_type, width, height, bytes, role)
            VALUES (${image.id}::uuid, ${v.key}, ${v.contentType}, ${v.width}, ${v.height}, ${v.bytes}, ${v.role})`;
          }
          const rows = await tx.unsafe<ImageRow[]>(`${SELECT} WHERE i.id = $1::uuid`, [image.id]);
          return toRecord(rows[0]);
        }),
    );
  }

  /** The images of a business, oldest first. */
  async list(businessId: string): Promise<ImageRecord[]> {
    const rows = await this.db.run(
      "images.list",
      `${SELECT} WHERE i.business_id = $1 ORDER BY i.created_at, i.id`,
      (sql) =>
        sql.unsafe<ImageRow[]>(
          `${SELECT} WHERE i.business_id = $1::uuid ORDER BY i.created_at, i.id LIMIT 100`,
          [businessId],
        ),
    );
    return rows.map(toRecord);
  }
}
