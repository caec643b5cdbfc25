-- Human handoff and the staff inbox (issue 7).
--  * conversations.owner_changed_at: when the current owner took the conversation (takeover,
--    handback, assignment, escalation); the inbox shows it and auto-handback measures idle
--    time from it (together with the last staff message).
--  * conversation_reads: per staff member, when they last read a conversation; unread counts
--    are the customer messages after it.
-- Per-tenant knobs live in tenants.settings (jsonb): debounceMs (default from config,
-- 3000 ms), autoHandbackMinutes (unset = never).

ALTER TABLE conversations ADD COLUMN IF NOT EXISTS owner_changed_at timestamptz;
CREATE INDEX IF NOT EXISTS conversations_owner_idx ON conversations (tenant_id, owner, last_message_at DESC);

CREATE TABLE IF NOT EXISTS conversation_reads (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES tenant_users(id) ON DELETE CASCADE,
  last_read_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX IF NOT EXISTS conversation_reads_tenant_idx ON conversation_reads (tenant_id);
SELECT aizalo_enable_rls('conversation_reads');
GRANT SELECT, INSERT, UPDATE, DELETE ON conversation_reads TO aizalo_app;
