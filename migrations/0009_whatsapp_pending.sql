-- WhatsApp inbound messages that could not be stored yet (database or queue error while
-- ingesting). WhatsApp does not redeliver a message Baileys has acknowledged, so the raw message
-- is parked here (BufferJSON of the WAMessage, encrypted with SecretBox 'whatsapp-inbound') and
-- ingested again later by the channel's lease holder; the row is deleted once ingested.
-- tenant_id is NULL for the platform's own number, as in 0005_whatsapp.sql.
CREATE TABLE whatsapp_inbound_pending (
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  wa_message_id text NOT NULL,
  data_enc text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, wa_message_id)
);
CREATE INDEX whatsapp_inbound_pending_tenant_idx ON whatsapp_inbound_pending (tenant_id);
CREATE INDEX whatsapp_inbound_pending_due_idx ON whatsapp_inbound_pending (channel_id, next_attempt_at);

SELECT aizalo_enable_rls('whatsapp_inbound_pending');
GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_inbound_pending TO aizalo_app;
