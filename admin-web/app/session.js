// @ts-check
/**
 * Who is signed in and what they may do. `me` comes from GET /api/auth/me; `tenant` (slug, name,
 * timezone) from GET /api/tenant/settings (+ /api/tenant/profile when it exists). `can(perm)`
 * mirrors core/services/tenancy/permissions.ts, so write controls are hidden from roles the API
 * would answer 403 (the API stays the enforcement).
 */
import { computed, signal } from '/web/shared/ui.js';
import { ApiError, call } from '/web/shared/api.js';
import { DEFAULT_TZ } from '/web/shared/format.js';

/** @typedef {'read' | 'reply' | 'settings' | 'knowledge' | 'prices' | 'users' | 'billing' | 'owner'} Perm */

/** @type {Record<string, Perm[]>} the same table as core/services/tenancy/permissions.ts (+ 'owner' for owner-only actions) */
const PERMS = {
  viewer: ['read'],
  staff: ['read', 'reply'],
  admin: ['read', 'reply', 'settings', 'knowledge', 'prices', 'users'],
  owner: ['read', 'reply', 'settings', 'knowledge', 'prices', 'users', 'billing', 'owner'],
};

export const me = signal(/** @type {import('../types/console-api.js').Me | null} */ (null));
/** 'loading' until /api/auth/me answered; 'out' when signed out. */
export const status = signal(/** @type {'loading' | 'in' | 'out'} */ ('loading'));
export const tenant = signal({ slug: '', name: '', timezone: DEFAULT_TZ });
export const role = computed(() => me.value?.tenant?.role ?? 'viewer');

/** @param {Perm} perm */
export const can = (perm) => (PERMS[role.value] ?? []).includes(perm);

/** Load the session; resolves to the status. */
export async function loadSession() {
  try {
    me.value = await call('GET /api/auth/me');
  } catch (err) {
    me.value = null;
    status.value = 'out';
    if (!(err instanceof ApiError) || err.status !== 401) console.warn(err);
    return status.value;
  }
  status.value = 'in';
  if (me.value?.tenant) void loadTenant();
  return status.value;
}

/** Slug, name and timezone of the tenant (timezone: profile API when merged, else settings' profile). */
export async function loadTenant() {
  const [s, p] = await Promise.all([call('GET /api/tenant/settings').catch(() => undefined), call('GET /api/tenant/profile').catch(() => undefined)]);
  const tz = p?.timezone || /** @type {string | undefined} */ (s?.tenant.profile?.timezone) || DEFAULT_TZ;
  tenant.value = { slug: s?.tenant.slug ?? '', name: p?.name || s?.tenant.name || '', timezone: tz };
}

export async function signOut() {
  await call('POST /api/auth/logout').catch(() => {});
  location.assign('/app');
}
