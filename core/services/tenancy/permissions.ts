/**
 * Who may do what: the permission table for tenant users and platform users, in code (the README
 * carries the same table). Routes ask `tenantCan(role, perm)` / `platformCan(role, perm)` through
 * the auth plugin's `requireTenantRole(perm)` / `requirePlatformRole(perm)` preHandlers.
 *
 * Tenant roles (cumulative): viewer reads; staff also replies in conversations; admin also manages
 * settings, knowledge, prices and users; owner also billing.
 * Platform roles: owner everything + view-as-tenant; admin everything but view-as; sales only the
 * tenants assigned to them (`tenants.assigned_sales_rep_id = self`); support reads only.
 * `billing.write` (record payments, set rep rates, approve/pay commissions, cancel subscriptions)
 * is owner and admin only: a sales rep never approves or pays their own commissions.
 */
export const TENANT_ROLES = ['viewer', 'staff', 'admin', 'owner'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];
export const PLATFORM_ROLES = ['owner', 'admin', 'sales', 'support'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export type TenantPermission = 'read' | 'reply' | 'settings' | 'knowledge' | 'prices' | 'users' | 'billing';
export type PlatformPermission =
  | 'tenants.read'
  | 'tenants.create'
  | 'tenants.update'
  | 'tenants.suspend'
  | 'users.manage'
  | 'metrics.read'
  | 'billing.read'
  | 'billing.write'
  | 'view_as';

const VIEWER: TenantPermission[] = ['read'];
const STAFF: TenantPermission[] = [...VIEWER, 'reply'];
const ADMIN: TenantPermission[] = [...STAFF, 'settings', 'knowledge', 'prices', 'users'];
const OWNER: TenantPermission[] = [...ADMIN, 'billing'];

export const TENANT_PERMISSIONS: Readonly<Record<TenantRole, readonly TenantPermission[]>> = Object.freeze({
  viewer: VIEWER,
  staff: STAFF,
  admin: ADMIN,
  owner: OWNER,
});

const P_ADMIN: PlatformPermission[] = [
  'tenants.read',
  'tenants.create',
  'tenants.update',
  'tenants.suspend',
  'users.manage',
  'metrics.read',
  'billing.read',
  'billing.write',
];

export const PLATFORM_PERMISSIONS: Readonly<Record<PlatformRole, readonly PlatformPermission[]>> = Object.freeze({
  owner: [...P_ADMIN, 'view_as'],
  admin: P_ADMIN,
  sales: ['tenants.read', 'tenants.create', 'tenants.update'],
  support: ['tenants.read', 'metrics.read'],
});

/** Which tenants a platform role sees: all of them, or only those assigned to the user. */
export const PLATFORM_SCOPE: Readonly<Record<PlatformRole, 'all' | 'assigned'>> = Object.freeze({
  owner: 'all',
  admin: 'all',
  sales: 'assigned',
  support: 'all',
});

/** True when a tenant role grants the permission (unknown roles grant nothing). */
export function tenantCan(role: string, perm: TenantPermission): boolean {
  return (TENANT_PERMISSIONS as Record<string, readonly TenantPermission[]>)[role]?.includes(perm) ?? false;
}

/** True when a platform role grants the permission (unknown roles grant nothing). */
export function platformCan(role: string, perm: PlatformPermission): boolean {
  return (PLATFORM_PERMISSIONS as Record<string, readonly PlatformPermission[]>)[role]?.includes(perm) ?? false;
}
