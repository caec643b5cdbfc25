-- Aizalo initial schema: plans, tenants, users, channels, customers,
-- conversations, messages, ai_usage, audit_log; the restricted app role and
-- row-level security on every tenant-owned table.
--
-- Policies use the initplan shape: the setting is read once per statement
-- through a scalar sub-select, not once per row. `nullif(..., '')` because a
-- transaction-local setting reads back as '' (not NULL) once the transaction
-- that set it has ended.

CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS btree_gist;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aizalo_app') THEN
    CREATE ROLE aizalo_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END $$;

-- The connecting role must be able to SET ROLE aizalo_app (every transaction does). A superuser
-- can; an ordinary owner role (docker-compose's `aizalo`) is granted membership here.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT aizalo_app TO %I', current_user);
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'could not grant aizalo_app to %; grant it as a superuser', current_user;
END $$;

-- Current tenant / platform context, read by every policy.
CREATE OR REPLACE FUNCTION app_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
CREATE OR REPLACE FUNCTION app_is_platform() RETURNS boolean
  LANGUAGE sql STABLE AS $$ SELECT coalesce(current_setting('app.platform', true), '') = 'on' $$;

CREATE TABLE plans (
  id text PRIMARY KEY,
  name text NOT NULL,
  monthly_fee_cents bigint NOT NULL CHECK (monthly_fee_cents >= 0), -- KES cents
  limits jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO plans (id, name, monthly_fee_cents, limits) VALUES
  ('starter', 'Starter', 250000, '{"channels": 1, "seats": 2, "aiMessagesPerMonth": 1000}'),
  ('professional', 'Professional', 750000, '{"channels": 3, "seats": 5, "aiMessagesPerMonth": 5000}'),
  ('growth', 'Growth', 1500000, '{"channels": 10, "seats": 20, "aiMessagesPerMonth": 20000}');

CREATE TABLE platform_users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'sales', 'support')),
  name text,
  phone text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL,
  industry text NOT NULL,
  plan_id text NOT NULL REFERENCES plans(id) DEFAULT 'starter',
  status text NOT NULL DEFAULT 'trial' CHECK (status IN ('trial', 'active', 'past_due', 'suspended', 'canceled')),
  profile jsonb NOT NULL DEFAULT '{}',   -- hours, prices, description, languages
  settings jsonb NOT NULL DEFAULT '{}',
  assigned_sales_rep_id uuid REFERENCES platform_users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'staff', 'viewer')),
  name text,
  phone text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, email)
);

-- A channel is a tenant's (or, with tenant_id NULL, the platform's own) number/widget.
CREATE TABLE channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('sms', 'whatsapp', 'webchat')),
  provider text NOT NULL CHECK (provider IN ('twilio', 'africastalking', 'baileys', 'webchat')),
  address text NOT NULL,                 -- E.164 number, AT short code, or tenant slug for web chat
  credentials_enc text,                  -- AES-256-GCM, key derived from SECRET_KEY
  webhook_token_hash text UNIQUE,        -- sha256 of the secret in Africa's Talking webhook URLs
  status text NOT NULL DEFAULT 'active',
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (type, provider, address)
);

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  handle text NOT NULL,                  -- '+2547…' for phone channels, 'web:<visitor>' for web chat
  phone text,
  name text,
  language_preference text NOT NULL DEFAULT 'en' CHECK (language_preference IN ('en', 'sw', 'sheng')),
  profile jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, handle)
);

CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  owner text NOT NULL DEFAULT 'ai' CHECK (owner IN ('ai', 'human', 'unassigned')),
  assigned_user_id uuid REFERENCES tenant_users(id) ON DELETE SET NULL,
  owner_version integer NOT NULL DEFAULT 0,
  needs_human boolean NOT NULL DEFAULT false,
  needs_human_reason text,
  last_message_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX conversations_one_open ON conversations (tenant_id, customer_id, channel_id) WHERE status = 'open';

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  sender text NOT NULL CHECK (sender IN ('customer', 'ai', 'staff', 'system')),
  external_id text,                      -- provider message id (MessageSid, AT id, WhatsApp key id, web client id)
  in_reply_to uuid REFERENCES messages(id) ON DELETE SET NULL,
  text text NOT NULL,
  media jsonb,
  status text NOT NULL CHECK (status IN ('received', 'processed', 'queued', 'sending', 'sent', 'failed', 'canceled')),
  error text,
  provider text,                         -- LLM provider that wrote an AI reply
  model text,
  owner_version integer,                 -- conversation owner_version an AI reply was written under
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (channel_id, external_id)
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at);

CREATE TABLE ai_usage (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  provider text NOT NULL,
  model text NOT NULL,
  class text NOT NULL DEFAULT 'standard',
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  latency_ms integer NOT NULL,
  outcome text NOT NULL,                 -- ok | rate_limited | server | timeout | connection | malformed | client | breaker_open
  fallback_depth integer NOT NULL DEFAULT 0,
  cost_usd_micros bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Append-only: the app role gets INSERT and SELECT, never UPDATE or DELETE.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid REFERENCES tenants(id) ON DELETE SET NULL,
  actor_type text NOT NULL,              -- platform_user | tenant_user | system | anonymous
  actor_id uuid,
  action text NOT NULL,
  target text,
  data jsonb NOT NULL DEFAULT '{}',
  ip text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Indexes on tenant_id for every tenant table (policies filter on it).
CREATE INDEX tenant_users_tenant_idx ON tenant_users (tenant_id);
CREATE INDEX channels_tenant_idx ON channels (tenant_id);
CREATE INDEX customers_tenant_idx ON customers (tenant_id);
CREATE INDEX conversations_tenant_idx ON conversations (tenant_id, last_message_at DESC);
CREATE INDEX messages_tenant_idx ON messages (tenant_id);
CREATE INDEX ai_usage_tenant_idx ON ai_usage (tenant_id, created_at);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, created_at);

-- Row-level security: every tenant-owned table, forced (also for the table owner).
CREATE OR REPLACE FUNCTION aizalo_enable_rls(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format($p$CREATE POLICY tenant_isolation ON %s
    USING (tenant_id = (SELECT app_tenant_id()) OR (SELECT app_is_platform()))
    WITH CHECK (tenant_id = (SELECT app_tenant_id()) OR (SELECT app_is_platform()))$p$, tbl);
END $$;

SELECT aizalo_enable_rls(t) FROM unnest(ARRAY[
  'tenant_users', 'channels', 'customers', 'conversations', 'messages', 'ai_usage', 'audit_log'
]::regclass[]) AS t;

-- tenants: a tenant sees only its own row.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = (SELECT app_tenant_id()) OR (SELECT app_is_platform()))
  WITH CHECK (id = (SELECT app_tenant_id()) OR (SELECT app_is_platform()));

GRANT USAGE ON SCHEMA public TO aizalo_app;
GRANT SELECT ON plans TO aizalo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, platform_users, tenant_users, channels, customers,
  conversations, messages, ai_usage TO aizalo_app;
GRANT SELECT, INSERT ON audit_log TO aizalo_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO aizalo_app;
