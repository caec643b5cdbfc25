-- Team management (issue 12): a tenant user is 'invited' (an invite link was sent, no password
-- set yet), 'active' (may sign in) or 'deactivated' (may not; the row stays for the audit trail
-- and can be reactivated). Existing users are active. Login refuses everything but 'active'.
ALTER TABLE tenant_users
  ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invited', 'deactivated')),
  ADD COLUMN invited_at timestamptz,
  ADD COLUMN invited_by uuid REFERENCES tenant_users(id) ON DELETE SET NULL,
  ADD COLUMN accepted_at timestamptz,
  ADD COLUMN deactivated_at timestamptz;
-- Team list: newest first per tenant.
CREATE INDEX tenant_users_tenant_created_idx ON tenant_users (tenant_id, created_at DESC, id DESC);

-- Password resets: single-use tokens, only their SHA-256 at rest, 30-minute expiry. user_id is a
-- tenant_users id (user_type 'tenant', tenant_id set) or a platform_users id (user_type 'platform',
-- tenant_id NULL, so the row is only visible in the platform context). No FK on user_id because it
-- points into one of two tables; a reset whose user is gone simply finds nobody to reset.
CREATE TABLE password_resets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
  user_type text NOT NULL CHECK (user_type IN ('tenant', 'platform')),
  user_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  ip text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((user_type = 'platform') = (tenant_id IS NULL))
);
CREATE INDEX password_resets_tenant_idx ON password_resets (tenant_id);
CREATE INDEX password_resets_user_idx ON password_resets (user_id) WHERE used_at IS NULL;

SELECT aizalo_enable_rls('password_resets');
GRANT SELECT, INSERT, UPDATE, DELETE ON password_resets TO aizalo_app;
