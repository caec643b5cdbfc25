-- Billing and revenue: subscriptions (one per tenant), payments into platform_revenue
-- (idempotent on the payment reference), revenue_months (the normalised monthly fee each payment
-- pays for, per calendar month, UTC — what MRR is summed from), sales-rep settings, commissions,
-- the sales-lead pipeline and the platform number's own message log. Money in KES cents; rates in
-- basis points (1000 = 10 %).

CREATE TABLE subscriptions (
  tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  plan_id text NOT NULL REFERENCES plans(id),
  status text NOT NULL CHECK (status IN ('trial', 'active', 'past_due', 'suspended', 'canceled')),
  trial_ends_at timestamptz,
  current_period_end timestamptz,        -- paid through; the next billing date
  past_due_since timestamptz,
  first_paid_month date,                 -- first calendar month with a paid service period
  canceled_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_status_idx ON subscriptions (status);

CREATE TABLE platform_revenue (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  reference text NOT NULL UNIQUE,        -- the payment's own reference (M-Pesa receipt, Stripe id, manual ref)
  method text NOT NULL CHECK (method IN ('manual', 'callback', 'mpesa', 'stripe')),
  plan_id text NOT NULL REFERENCES plans(id),
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  currency text NOT NULL DEFAULT 'KES',
  period_months integer NOT NULL DEFAULT 1 CHECK (period_months BETWEEN 1 AND 36),
  monthly_cents bigint NOT NULL,         -- amount_cents / period_months, rounded
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  paid_at timestamptz NOT NULL,
  recorded_by uuid,                      -- platform user for manual entries
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX platform_revenue_tenant_idx ON platform_revenue (tenant_id, paid_at);
CREATE INDEX platform_revenue_paid_idx ON platform_revenue (paid_at);

-- One row per tenant per calendar month a paid service period overlaps; the highest normalised
-- fee wins when periods overlap (an upgrade mid-month). Derived from platform_revenue on insert.
CREATE TABLE revenue_months (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  month date NOT NULL,
  monthly_cents bigint NOT NULL,
  PRIMARY KEY (month, tenant_id)
);
CREATE INDEX revenue_months_tenant_idx ON revenue_months (tenant_id, month);

CREATE TABLE sales_rep_settings (
  user_id uuid PRIMARY KEY REFERENCES platform_users(id) ON DELETE CASCADE,
  first_payment_rate_bp integer NOT NULL DEFAULT 2000 CHECK (first_payment_rate_bp BETWEEN 0 AND 10000),
  recurring_rate_bp integer NOT NULL DEFAULT 1000 CHECK (recurring_rate_bp BETWEEN 0 AND 10000),
  territories text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE commissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  rep_id uuid NOT NULL REFERENCES platform_users(id),
  payment_id uuid NOT NULL UNIQUE REFERENCES platform_revenue(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('first', 'recurring')),
  rate_bp integer NOT NULL,
  amount_cents bigint NOT NULL,
  month date NOT NULL,                   -- calendar month (UTC) of the payment
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'paid')),
  approved_at timestamptz,
  paid_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commissions_tenant_idx ON commissions (tenant_id);
CREATE INDEX commissions_rep_idx ON commissions (rep_id, month);

CREATE TABLE sales_leads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rep_id uuid REFERENCES platform_users(id) ON DELETE SET NULL,
  name text NOT NULL,
  phone text,
  industry text,
  stage text NOT NULL DEFAULT 'new' CHECK (stage IN ('new', 'contacted', 'demo', 'negotiating', 'won', 'lost')),
  notes text,
  tenant_id uuid REFERENCES tenants(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sales_leads_rep_idx ON sales_leads (rep_id, updated_at DESC);

-- Messages on the platform's own number (tenant_id is NULL there, so not in `messages`).
CREATE TABLE platform_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  phone text NOT NULL,
  rep_id uuid REFERENCES platform_users(id) ON DELETE SET NULL,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  external_id text,
  text text NOT NULL,
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'sent', 'failed')),
  in_reply_to uuid REFERENCES platform_messages(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel_id, external_id)
);
-- Platform health reads LLM attempts across tenants by time.
CREATE INDEX IF NOT EXISTS ai_usage_created_idx ON ai_usage (created_at);

CREATE INDEX platform_messages_phone_idx ON platform_messages (phone, created_at);

-- Tenant-owned tables: the standard tenant policy (a tenant may read its own subscription/payments).
SELECT aizalo_enable_rls(t) FROM unnest(ARRAY[
  'subscriptions', 'platform_revenue', 'revenue_months', 'commissions'
]::regclass[]) AS t;

-- Platform-only tables: visible in the platform context only.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sales_rep_settings', 'sales_leads', 'platform_messages'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY platform_only ON %I USING ((SELECT app_is_platform())) WITH CHECK ((SELECT app_is_platform()))', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON subscriptions, revenue_months, commissions, sales_rep_settings, sales_leads, platform_messages TO aizalo_app;
GRANT SELECT, INSERT ON platform_revenue TO aizalo_app;

-- Monthly MRR figures (metrics.ts) cached per month. Any change to revenue_months drops the cached
-- months from the earliest changed month on; a computation holds the exclusive advisory lock and a
-- change the shared one, so a computation never stores figures older than a committed payment.
CREATE TABLE mrr_month_summaries (
  month date PRIMARY KEY,
  mrr_cents bigint NOT NULL,
  paying integer NOT NULL,
  paying_prev integer NOT NULL,
  mrr_prev_cents bigint NOT NULL,
  new_cents bigint NOT NULL,
  reactivation_cents bigint NOT NULL,
  expansion_cents bigint NOT NULL,
  contraction_cents bigint NOT NULL,
  churn_cents bigint NOT NULL,
  churned integer NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE mrr_month_summaries ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON mrr_month_summaries USING ((SELECT app_is_platform())) WITH CHECK ((SELECT app_is_platform()));
GRANT SELECT, INSERT, UPDATE, DELETE ON mrr_month_summaries TO aizalo_app;

CREATE OR REPLACE FUNCTION aizalo_revenue_months_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7426007);
  DELETE FROM mrr_month_summaries WHERE month >= (SELECT min(month) FROM changed_rows);
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION aizalo_revenue_months_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7426007);
  DELETE FROM mrr_month_summaries WHERE month >= (SELECT min(month) FROM changed_rows);
  RETURN NULL;
END $$;
CREATE TRIGGER revenue_months_inserted AFTER INSERT ON revenue_months
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION aizalo_revenue_months_new();
CREATE TRIGGER revenue_months_updated AFTER UPDATE ON revenue_months
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION aizalo_revenue_months_new();
CREATE TRIGGER revenue_months_deleted AFTER DELETE ON revenue_months
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION aizalo_revenue_months_old();
