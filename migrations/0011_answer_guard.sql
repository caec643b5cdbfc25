-- Answer guard (issue 13): honest escalation reasons, guard interventions, side effects keyed by
-- the inbound message they answer, and multi-part SMS delivery.

-- One reason code per escalation, from one list (core/services/conversations/escalation-reasons.ts);
-- needs_human_reason keeps the detail text staff read.
ALTER TABLE conversations ADD COLUMN escalation_reason text
  CHECK (escalation_reason IN ('customer_request', 'missing_knowledge', 'unsupported_request', 'policy_restriction',
    'tool_failure', 'negotiation_floor', 'ai_unavailable', 'step_limit', 'empty_or_blocked'));

-- Side effects are idempotent per inbound message: a retried job (or a repeated call) finds what
-- the first attempt did instead of doing it again.
ALTER TABLE bookings ADD COLUMN source_message_id uuid REFERENCES messages(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX bookings_source_slot_uniq ON bookings (source_message_id, resource_id, lower(during))
  WHERE source_message_id IS NOT NULL AND status = 'confirmed';
ALTER TABLE price_offers ADD COLUMN source_message_id uuid REFERENCES messages(id) ON DELETE SET NULL;
CREATE INDEX price_offers_source_idx ON price_offers (source_message_id) WHERE source_message_id IS NOT NULL;

-- A reply split for its channel (SMS: at most N parts of <= 1,600 characters) is one outbound
-- row: `text` is what staff see, `parts` what the sender sends, one provider message each, in
-- order; `parts_sent` is how many the provider already accepted, so a retry resumes after them
-- and never sends a part twice.
ALTER TABLE messages ADD COLUMN parts jsonb;
ALTER TABLE messages ADD COLUMN parts_sent integer NOT NULL DEFAULT 0;

-- Every time the guard or a turn limit changed what the model wanted to say or do.
CREATE TABLE guard_interventions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  inbound_message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 80),
  detail text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guard_interventions_tenant_idx ON guard_interventions (tenant_id, created_at);
CREATE UNIQUE INDEX guard_interventions_once ON guard_interventions (inbound_message_id, kind, md5(detail))
  WHERE inbound_message_id IS NOT NULL;

SELECT aizalo_enable_rls('guard_interventions');
GRANT SELECT, INSERT ON guard_interventions TO aizalo_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO aizalo_app;
