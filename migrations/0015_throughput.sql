-- Throughput (issue 15): inbox counters kept with the messages, and an index-friendly RLS shape.
--
-- 1. Inbox summary columns, maintained by triggers in the same transaction as the write:
--    conversations.inbound_count (customer messages ever), last_message_text/_sender (latest
--    non-canceled message); conversation_reads.read_inbound_count (inbound_count when the user
--    last read it). Unread for a user = inbound_count - read_inbound_count: no scan of messages.
ALTER TABLE conversations
  ADD COLUMN IF NOT EXISTS inbound_count integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS last_message_text text,
  ADD COLUMN IF NOT EXISTS last_message_sender text;
ALTER TABLE conversation_reads ADD COLUMN IF NOT EXISTS read_inbound_count integer NOT NULL DEFAULT 0;

-- The backfills below run under FORCE RLS: as a non-superuser owner they need the platform
-- context (transaction-local; the runner applies each file in one transaction).
SELECT set_config('app.platform', 'on', true);

UPDATE conversations c SET
  inbound_count = (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'inbound'),
  last_message_text = lm.text,
  last_message_sender = lm.sender
FROM conversations c2
LEFT JOIN LATERAL (SELECT text, sender FROM messages m WHERE m.conversation_id = c2.id AND m.status <> 'canceled'
                   ORDER BY m.created_at DESC, m.id DESC LIMIT 1) lm ON true
WHERE c2.id = c.id;
UPDATE conversation_reads r SET read_inbound_count = (
  SELECT count(*) FROM messages m WHERE m.conversation_id = r.conversation_id AND m.direction = 'inbound' AND m.created_at <= r.last_read_at);

CREATE OR REPLACE FUNCTION aizalo_message_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE conversations SET
      inbound_count = inbound_count + (NEW.direction = 'inbound')::int,
      last_message_text = CASE WHEN NEW.status <> 'canceled' THEN NEW.text ELSE last_message_text END,
      last_message_sender = CASE WHEN NEW.status <> 'canceled' THEN NEW.sender ELSE last_message_sender END
    WHERE id = NEW.conversation_id;
  ELSIF NEW.status = 'canceled' AND OLD.status <> 'canceled' THEN
    -- Rare (a send canceled after a takeover): recompute the latest visible message.
    UPDATE conversations c SET (last_message_text, last_message_sender) = (
      SELECT m.text, m.sender FROM messages m WHERE m.conversation_id = c.id AND m.status <> 'canceled'
      ORDER BY m.created_at DESC, m.id DESC LIMIT 1)
    WHERE c.id = NEW.conversation_id;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS messages_summary_ins ON messages;
CREATE TRIGGER messages_summary_ins AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION aizalo_message_summary();
DROP TRIGGER IF EXISTS messages_summary_cancel ON messages;
CREATE TRIGGER messages_summary_cancel AFTER UPDATE OF status ON messages FOR EACH ROW
  WHEN (NEW.status = 'canceled' AND OLD.status IS DISTINCT FROM 'canceled') EXECUTE FUNCTION aizalo_message_summary();

CREATE OR REPLACE FUNCTION aizalo_read_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.read_inbound_count := coalesce((SELECT inbound_count FROM conversations WHERE id = NEW.conversation_id), 0);
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS conversation_reads_summary ON conversation_reads;
CREATE TRIGGER conversation_reads_summary BEFORE INSERT OR UPDATE ON conversation_reads FOR EACH ROW EXECUTE FUNCTION aizalo_read_summary();

-- The inbox list: open conversations of a tenant, newest first, straight from an index.
CREATE INDEX IF NOT EXISTS conversations_open_recent_idx ON conversations (tenant_id, last_message_at DESC) WHERE status = 'open';

-- 2. RLS shape. `tenant_id = (SELECT app_tenant_id()) OR (SELECT app_is_platform())` cannot be
--    an index condition (an OR with a parameter that is not on an index column; the policy can
--    only be a Filter, so the tenant index serves a query only when the query names tenant_id
--    itself). The same rule as one range, `tenant_id BETWEEN lo AND hi`, where the tenant context
--    gives lo = hi = its id and the platform context the whole uuid range, is an index condition
--    on every tenant_id-leading index, for both contexts. No context: lo/hi are null, no rows.
CREATE OR REPLACE FUNCTION app_tenant_lo() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN app_is_platform() THEN '00000000-0000-0000-0000-000000000000'::uuid ELSE app_tenant_id() END $$;
CREATE OR REPLACE FUNCTION app_tenant_hi() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN app_is_platform() THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid ELSE app_tenant_id() END $$;

CREATE OR REPLACE FUNCTION aizalo_enable_rls(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format($p$CREATE POLICY tenant_isolation ON %s
    USING (tenant_id BETWEEN (SELECT app_tenant_lo()) AND (SELECT app_tenant_hi()))
    WITH CHECK (tenant_id BETWEEN (SELECT app_tenant_lo()) AND (SELECT app_tenant_hi()))$p$, tbl);
  -- Platform-owned rows (tenant_id NULL, e.g. the platform's own channels) are outside any range:
  -- where the column is nullable, the platform context gets them through a second policy.
  EXECUTE format('DROP POLICY IF EXISTS platform_rows ON %s', tbl);
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = tbl AND attname = 'tenant_id' AND NOT attnotnull) THEN
    EXECUTE format($p$CREATE POLICY platform_rows ON %s
      USING (tenant_id IS NULL AND (SELECT app_is_platform()))
      WITH CHECK (tenant_id IS NULL AND (SELECT app_is_platform()))$p$, tbl);
  END IF;
END $$;

DO $$
DECLARE t regclass;
BEGIN
  FOR t IN SELECT format('%I.%I', p.schemaname, p.tablename)::regclass FROM pg_policies p
           WHERE p.schemaname = 'public' AND p.policyname = 'tenant_isolation' AND p.tablename <> 'tenants'
  LOOP
    PERFORM aizalo_enable_rls(t);
  END LOOP;
END $$;

DROP POLICY IF EXISTS tenant_isolation ON tenants;
CREATE POLICY tenant_isolation ON tenants
  USING (id BETWEEN (SELECT app_tenant_lo()) AND (SELECT app_tenant_hi()))
  WITH CHECK (id BETWEEN (SELECT app_tenant_lo()) AND (SELECT app_tenant_hi()));
