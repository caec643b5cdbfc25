-- Identity and isolation hardening (issue 3).
--
-- platform_users holds password hashes of the platform's staff; it is not tenant-owned, so 0001
-- left it without row-level security — a tenant transaction could read it. Only the platform
-- context sees it now.
ALTER TABLE platform_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform_users FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS platform_only ON platform_users;
CREATE POLICY platform_only ON platform_users
  USING ((SELECT app_is_platform()))
  WITH CHECK ((SELECT app_is_platform()));

-- Sales reps list "their" tenants.
CREATE INDEX IF NOT EXISTS tenants_sales_rep_idx ON tenants (assigned_sales_rep_id);
-- Login looks users up case-insensitively.
CREATE INDEX IF NOT EXISTS platform_users_email_lower_idx ON platform_users (lower(email));
CREATE INDEX IF NOT EXISTS tenant_users_email_lower_idx ON tenant_users (tenant_id, lower(email));
-- Audit queries by action (e.g. failed logins over the last hour).
CREATE INDEX IF NOT EXISTS audit_log_action_idx ON audit_log (action, created_at);

-- The audit log stays append-only for the app role whatever later grants say.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM aizalo_app;
