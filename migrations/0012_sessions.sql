-- Server-side sessions (issue 14). The session JWT carries `sid`, the id of a row here; every
-- authenticated request checks the row (cached per process for at most SESSION_CACHE_MS ≤ 5 s),
-- so logout, password change/reset, role change, deactivation and the end of a view-as session
-- take effect at once instead of when the JWT expires.
--
-- Sessions belong to a user, not to a tenant's data: platform users have none, and the check runs
-- before any tenant context exists. Like platform_users (0002), only the platform context sees
-- the table.
CREATE TABLE IF NOT EXISTS sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  user_kind text NOT NULL CHECK (user_kind IN ('tenant', 'platform')),
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_reason text,
  user_agent text,
  ip text,
  CHECK ((user_kind = 'tenant') = (tenant_id IS NOT NULL))
);
-- "Revoke every session of this user" and "list my sessions".
CREATE INDEX IF NOT EXISTS sessions_user_idx ON sessions (user_kind, user_id, created_at DESC);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS platform_only ON sessions;
CREATE POLICY platform_only ON sessions
  USING ((SELECT app_is_platform()))
  WITH CHECK ((SELECT app_is_platform()));

GRANT SELECT, INSERT, UPDATE ON sessions TO aizalo_app;
