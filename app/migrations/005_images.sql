-- Uploaded images of a business (routes/images.ts). One row per upload; its stored objects (the responsive
-- variants, or only the validated original when the image processor was unavailable) in image_variants.
-- Keys are relative to STORAGE_PREFIX; public URLs are STORAGE_PUBLIC_BASE_URL/<prefix>/<key>.
CREATE TABLE business_images (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
  width       integer NOT NULL CHECK (width > 0),
  height      integer NOT NULL CHECK (height > 0),
  source_type text NOT NULL CHECK (source_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/avif')),
  source_size integer NOT NULL CHECK (source_size > 0),
  processed   boolean NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX business_images_business ON business_images (business_id, created_at, id);

CREATE TABLE image_variants (
  image_id     uuid NOT NULL REFERENCES business_images (id) ON DELETE CASCADE,
  storage_key  text NOT NULL UNIQUE CHECK (char_length(storage_key) BETWEEN 1 AND 512),
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/avif')),
  width        integer NOT NULL CHECK (width > 0),
  height       integer NOT NULL CHECK (height > 0),
  bytes        integer NOT NULL CHECK (bytes > 0),
  -- 'variant': a re-encoded rendition; 'original': the validated upload, stored when sharp was unavailable.
  role         text NOT NULL CHECK (role IN ('variant', 'original')),
  PRIMARY KEY (image_id, content_type, width)
);
