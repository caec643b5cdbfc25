-- Tenant console, setup sections (issue 12).
-- Knowledge documents report their indexing progress (queued → chunking → embedding n/m →
-- ready | failed) and accept CSV FAQs; resources can be nightly stays with a price per night;
-- bookings made by hand may have no customer; channels can be disabled (a disabled channel
-- neither receives nor sends); a price rule's max discount is optional, so a rule that sets a
-- floor is always bounded by that floor and never silently by "0 % discount" instead.

-- The backfills below run under FORCE RLS: as a non-superuser owner they need the platform
-- context (transaction-local; the runner applies each file in one transaction).
SELECT set_config('app.platform', 'on', true);

ALTER TABLE kb_documents DROP CONSTRAINT IF EXISTS kb_documents_status_check;
UPDATE kb_documents SET status = 'queued' WHERE status = 'pending';
ALTER TABLE kb_documents ALTER COLUMN status SET DEFAULT 'queued';
ALTER TABLE kb_documents ADD CONSTRAINT kb_documents_status_check
  CHECK (status IN ('queued', 'chunking', 'embedding', 'ready', 'failed'));
ALTER TABLE kb_documents DROP CONSTRAINT IF EXISTS kb_documents_format_check;
ALTER TABLE kb_documents ADD CONSTRAINT kb_documents_format_check CHECK (format IN ('text', 'markdown', 'faq', 'csv'));
ALTER TABLE kb_documents ADD COLUMN chunks_done integer NOT NULL DEFAULT 0 CHECK (chunks_done >= 0);
ALTER TABLE kb_documents ADD COLUMN chunks_total integer NOT NULL DEFAULT 0 CHECK (chunks_total >= 0);
UPDATE kb_documents SET chunks_done = chunk_count, chunks_total = chunk_count WHERE status = 'ready';
CREATE INDEX kb_documents_list_idx ON kb_documents (tenant_id, created_at DESC, id DESC);

ALTER TABLE resources ADD COLUMN price_per_night_cents bigint CHECK (price_per_night_cents > 0);

ALTER TABLE bookings ALTER COLUMN customer_id DROP NOT NULL;
ALTER TABLE bookings ADD COLUMN contact_name text CHECK (length(contact_name) <= 200);  -- name typed by staff when there is no customer row
CREATE INDEX bookings_resource_idx ON bookings (resource_id, lower(during));

ALTER TABLE channels ADD COLUMN enabled boolean NOT NULL DEFAULT true;

-- Rules stored before this migration with the old default 0 meant "no discount cap was given";
-- 0 now reads as "no discount at all", so those rows become NULL (bounded by the floor only).
ALTER TABLE price_rules ALTER COLUMN max_discount_pct DROP NOT NULL;
ALTER TABLE price_rules ALTER COLUMN max_discount_pct DROP DEFAULT;
UPDATE price_rules SET max_discount_pct = NULL WHERE max_discount_pct = 0;
CREATE INDEX price_offers_rule_idx ON price_offers (tenant_id, rule_id, id DESC);
