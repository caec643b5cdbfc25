-- Agents: bookable resources and bookings (no double booking: an exclusion constraint per
-- resource on the booked time range), leads, price rules and the negotiation offer log,
-- the tenant knowledge base and per-customer memory (pgvector, 768 dimensions, HNSW), and the
-- content library. Money in KES cents. Every table is tenant-owned with forced RLS.

CREATE TABLE resources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL DEFAULT 'other',       -- room, table, stylist, doctor, test_drive, viewing, other
  capacity integer NOT NULL DEFAULT 1 CHECK (capacity >= 1),          -- max party size per booking
  slot_minutes integer NOT NULL DEFAULT 60 CHECK (slot_minutes BETWEEN 5 AND 10080),
  -- weekday (mon..sun) → ["HH:MM", "HH:MM"] in `timezone`; a missing day is closed; {} = always open
  opening_hours jsonb NOT NULL DEFAULT '{}',
  timezone text NOT NULL DEFAULT 'Africa/Nairobi',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX resources_tenant_idx ON resources (tenant_id);

CREATE TABLE bookings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  resource_id uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  during tstzrange NOT NULL CHECK (NOT isempty(during)),
  party_size integer NOT NULL DEFAULT 1 CHECK (party_size >= 1),
  status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'canceled')),
  notes text,
  created_at timestamptz NOT NULL DEFAULT now(),
  canceled_at timestamptz,
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (resource_id WITH =, during WITH &&) WHERE (status = 'confirmed')
);
CREATE INDEX bookings_tenant_idx ON bookings (tenant_id, lower(during));
CREATE INDEX bookings_customer_idx ON bookings (customer_id);

CREATE TABLE leads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  stage text NOT NULL DEFAULT 'new' CHECK (stage IN ('new', 'contacted', 'qualified', 'negotiating', 'won', 'lost')),
  score integer NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
  value_cents bigint CHECK (value_cents >= 0),
  interest text,
  notes text,
  follow_up_at timestamptz,
  follow_up_message text,
  followed_up_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_tenant_idx ON leads (tenant_id, stage);
-- One open lead per customer; won/lost leads are history.
CREATE UNIQUE INDEX leads_one_open ON leads (tenant_id, customer_id) WHERE stage NOT IN ('won', 'lost');

CREATE TABLE price_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  product text NOT NULL,
  list_cents bigint NOT NULL CHECK (list_cents > 0),
  floor_cents bigint NOT NULL CHECK (floor_cents > 0),
  max_discount_pct numeric(5, 2) NOT NULL DEFAULT 0 CHECK (max_discount_pct BETWEEN 0 AND 100),
  max_rounds integer NOT NULL DEFAULT 3 CHECK (max_rounds BETWEEN 1 AND 20),
  step_cents bigint NOT NULL CHECK (step_cents > 0),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, product),
  CHECK (floor_cents <= list_cents)
);
CREATE INDEX price_rules_tenant_idx ON price_rules (tenant_id);

-- Append-only negotiation log: every offer the guard made (and what was asked and proposed).
CREATE TABLE price_offers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  rule_id uuid NOT NULL REFERENCES price_rules(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE SET NULL,
  round integer NOT NULL,
  customer_ask_cents bigint,
  model_proposal_cents bigint,
  offered_cents bigint,
  decision text NOT NULL CHECK (decision IN ('accept', 'counter', 'final', 'handoff')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX price_offers_tenant_idx ON price_offers (tenant_id, created_at);
CREATE INDEX price_offers_thread_idx ON price_offers (conversation_id, rule_id, id);

CREATE TABLE kb_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  title text NOT NULL,
  format text NOT NULL CHECK (format IN ('text', 'markdown', 'faq')),
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed')),
  chunk_count integer NOT NULL DEFAULT 0,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_documents_tenant_idx ON kb_documents (tenant_id);

CREATE TABLE kb_chunks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  document_id uuid NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,
  ord integer NOT NULL,
  content text NOT NULL,
  embedding vector(768) NOT NULL,
  embedding_model text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_chunks_tenant_idx ON kb_chunks (tenant_id);
CREATE INDEX kb_chunks_document_idx ON kb_chunks (document_id);
CREATE INDEX kb_chunks_embedding_hnsw ON kb_chunks USING hnsw (embedding vector_cosine_ops);

-- Per-customer memory: facts the tools learned and rolling conversation summaries.
CREATE TABLE customer_memories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('fact', 'summary')),
  content text NOT NULL,
  embedding vector(768),
  embedding_model text,
  -- summaries: messages up to this instant are folded into `content`
  covered_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_memories_tenant_idx ON customer_memories (tenant_id, customer_id);
CREATE UNIQUE INDEX customer_memories_one_summary ON customer_memories (conversation_id) WHERE kind = 'summary';
CREATE INDEX customer_memories_embedding_hnsw ON customer_memories USING hnsw (embedding vector_cosine_ops);

CREATE TABLE content_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('google_business_post', 'social_post', 'broadcast')),
  goal text NOT NULL,
  tone text NOT NULL,
  language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'sw', 'sheng')),
  variants integer NOT NULL DEFAULT 3 CHECK (variants BETWEEN 1 AND 5),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  error text,
  requested_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX content_requests_tenant_idx ON content_requests (tenant_id, created_at);

CREATE TABLE content_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  request_id uuid NOT NULL REFERENCES content_requests(id) ON DELETE CASCADE,
  kind text NOT NULL,
  variant integer NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'published')),
  provider text NOT NULL,
  model text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  approved_at timestamptz,
  published_at timestamptz,
  UNIQUE (request_id, variant)
);
CREATE INDEX content_items_tenant_idx ON content_items (tenant_id, status);

SELECT aizalo_enable_rls(t) FROM unnest(ARRAY[
  'resources', 'bookings', 'leads', 'price_rules', 'price_offers', 'kb_documents', 'kb_chunks',
  'customer_memories', 'content_requests', 'content_items'
]::regclass[]) AS t;

GRANT SELECT, INSERT, UPDATE, DELETE ON resources, bookings, leads, price_rules, kb_documents, kb_chunks,
  customer_memories, content_requests, content_items TO aizalo_app;
GRANT SELECT, INSERT ON price_offers TO aizalo_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO aizalo_app;
