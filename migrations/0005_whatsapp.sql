-- WhatsApp (Baileys) adapter: auth state, session fencing, LID ↔ phone pairs, media of inbound
-- messages, and the content of sent messages (for retry receipts via getMessage).
--
-- tenant_id is nullable here on purpose, mirroring `channels`: the platform's own WhatsApp number
-- is a channel with tenant_id NULL, and its rows are only visible in the platform context.
-- Rows of a tenant channel carry that tenant's id and are isolated by the usual RLS policy.

-- Baileys auth state: `creds` (type 'creds', id '') and every signal key (type = key type, id =
-- key id), each as BufferJSON text encrypted with SecretBox('whatsapp-auth').
CREATE TABLE whatsapp_auth (
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  type text NOT NULL,
  id text NOT NULL,
  data_enc text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, type, id)
);
CREATE INDEX whatsapp_auth_tenant_idx ON whatsapp_auth (tenant_id);

-- One row per channel: the highest fencing token handed out by the socket lease. Auth writes
-- carry their holder's token and are refused when a newer holder exists.
CREATE TABLE whatsapp_sessions (
  channel_id uuid PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  fence bigint NOT NULL DEFAULT 0,
  holder text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX whatsapp_sessions_tenant_idx ON whatsapp_sessions (tenant_id);

-- LID (WhatsApp's privacy id, '<digits>@lid') ↔ phone number ('+E164') pairs seen per channel.
CREATE TABLE whatsapp_lid_map (
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  lid text NOT NULL,
  phone text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, lid)
);
CREATE INDEX whatsapp_lid_map_phone_idx ON whatsapp_lid_map (channel_id, phone);
CREATE INDEX whatsapp_lid_map_tenant_idx ON whatsapp_lid_map (tenant_id);

-- Media of inbound messages (images, voice notes), bytes encrypted (SecretBox 'whatsapp-media').
CREATE TABLE whatsapp_media (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  wa_message_id text NOT NULL,
  kind text NOT NULL,                    -- image | voice | audio | video | document | sticker
  mimetype text,
  size_bytes integer NOT NULL DEFAULT 0,
  data_enc text,                         -- NULL when the download failed
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel_id, wa_message_id)
);
CREATE INDEX whatsapp_media_tenant_idx ON whatsapp_media (tenant_id);

-- What we sent, by WhatsApp message key id: Baileys' getMessage resends it on retry receipts.
CREATE TABLE whatsapp_sent (
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  wa_message_id text NOT NULL,
  remote_jid text NOT NULL,
  content jsonb NOT NULL,                -- proto.Message as JSON, e.g. {"conversation": "..."}
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel_id, wa_message_id)
);
CREATE INDEX whatsapp_sent_tenant_idx ON whatsapp_sent (tenant_id, created_at);

SELECT aizalo_enable_rls(t) FROM unnest(ARRAY[
  'whatsapp_auth', 'whatsapp_sessions', 'whatsapp_lid_map', 'whatsapp_media', 'whatsapp_sent'
]::regclass[]) AS t;

GRANT SELECT, INSERT, UPDATE, DELETE ON whatsapp_auth, whatsapp_sessions, whatsapp_lid_map TO aizalo_app;
GRANT SELECT, INSERT, UPDATE ON whatsapp_media TO aizalo_app;
GRANT SELECT, INSERT, DELETE ON whatsapp_sent TO aizalo_app;
