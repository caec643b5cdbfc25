-- Campaigns: a tenant's broadcast of one text to its customers through one of its channels.
-- A campaign moves draft → sending → sent, or draft → canceled. campaign_recipients holds one row
-- per customer messaged (unique per campaign + customer), so one campaign never messages a
-- customer twice; message_id points at the outbound message it created.

CREATE TABLE campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  content_item_id uuid REFERENCES content_items(id) ON DELETE SET NULL,
  audience jsonb NOT NULL DEFAULT '{}',   -- {lastActiveDays?: int, customerIds?: uuid[]}
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'sent', 'canceled')),
  created_by uuid REFERENCES tenant_users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  canceled_at timestamptz,
  recipient_count integer NOT NULL DEFAULT 0
);
CREATE INDEX campaigns_tenant_idx ON campaigns (tenant_id, created_at DESC);

CREATE TABLE campaign_recipients (
  campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'skipped')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (campaign_id, customer_id)
);
CREATE INDEX campaign_recipients_tenant_idx ON campaign_recipients (tenant_id);
CREATE INDEX campaign_recipients_message_idx ON campaign_recipients (message_id);

SELECT aizalo_enable_rls('campaigns');
SELECT aizalo_enable_rls('campaign_recipients');

GRANT SELECT, INSERT, UPDATE ON campaigns TO aizalo_app;
GRANT SELECT, INSERT, UPDATE ON campaign_recipients TO aizalo_app;
