/**
 * A tenant's business profile and opening hours as the console edits them. Stored in the
 * tenant row: name/industry in their columns, the descriptive fields, timezone and
 * `openingHours` ({weekly, holidays}, see business-hours.ts) in `tenants.profile`, debounceMs and
 * autoHandbackMinutes in `tenants.settings` (read by agents/inbound-gate.ts and
 * conversations/ownership.ts). Each write is one transaction with its audit entry
 * (`profile.update`, `hours.update`).
 */
import { eq } from 'drizzle-orm';
import type { Database, Tx } from '../../db/client.ts';
import { tenants, type TenantProfile } from '../../db/schema/index.ts';
import { auditTx, type ActorType } from '../tenancy/audit.ts';
import { AppError } from '../../errors.ts';
import { DEFAULT_TIMEZONE, isTimezone, validateHours, type BusinessHours } from './business-hours.ts';

export type ProfileLanguage = 'en' | 'sw' | 'sheng';

export interface BusinessProfile {
  name: string;
  industry: string;
  description: string;
  address: string;
  phone: string;
  website: string;
  timezone: string;
  languages: ProfileLanguage[];
  persona: string;
  escalationRules: string;
  /** Inbound debounce window, ms. */
  debounceMs: number;
  /** Idle minutes before a human-owned conversation goes back to the AI; null = never. */
  autoHandbackMinutes: number | null;
}
export type ProfilePatch = Partial<BusinessProfile>;

export interface Actor {
  type: ActorType;
  id: string;
  ip?: string;
}

export class ProfileInputError extends AppError {
  constructor(message: string) {
    super('invalid_profile', message);
  }
}

/** Default debounce shown when the tenant has not set one (ms; the runtime default is config's). */
export const DEFAULT_DEBOUNCE_MS = 3000;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

type TenantRow = typeof tenants.$inferSelect;

function view(t: TenantRow): BusinessProfile {
  const p = t.profile;
  const s = t.settings;
  return {
    name: t.name,
    industry: t.industry,
    description: str(p.description),
    address: str(p.address) || str(p.location),
    phone: str(p.phone),
    website: str(p.website),
    timezone: str(p.timezone) || DEFAULT_TIMEZONE,
    languages: (Array.isArray(p.languages) ? p.languages : ['en']) as ProfileLanguage[],
    persona: str(p.persona),
    escalationRules: str(p.escalationRules),
    debounceMs: typeof s.debounceMs === 'number' ? s.debounceMs : DEFAULT_DEBOUNCE_MS,
    autoHandbackMinutes: typeof s.autoHandbackMinutes === 'number' && s.autoHandbackMinutes > 0 ? s.autoHandbackMinutes : null,
  };
}

/** Opening hours stored in a profile ({weekly: [], holidays: []} when none). */
export function hoursOf(profile: TenantProfile): BusinessHours {
  const h = (profile.openingHours ?? {}) as Partial<BusinessHours>;
  return { weekly: Array.isArray(h.weekly) ? h.weekly : [], holidays: Array.isArray(h.holidays) ? h.holidays : [] };
}

async function lockTenant(tx: Tx, tenantId: string): Promise<TenantRow> {
  const [t] = await tx.select().from(tenants).where(eq(tenants.id, tenantId)).for('update');
  if (!t) throw new AppError('not_found', 'No such tenant');
  return t;
}

export async function getProfile(db: Database, tenantId: string): Promise<BusinessProfile> {
  return db.withTenant(tenantId, async (tx) => view(await lockTenant(tx, tenantId)));
}

const PROFILE_KEYS = ['description', 'address', 'phone', 'website', 'timezone', 'languages', 'persona', 'escalationRules'] as const;

/**
 * Apply a partial profile. @throws ProfileInputError for an unknown timezone or a website that
 * is not http(s). @returns the updated profile.
 */
export async function updateProfile(db: Database, tenantId: string, patch: ProfilePatch, actor: Actor): Promise<BusinessProfile> {
  if (patch.timezone !== undefined && !isTimezone(patch.timezone)) throw new ProfileInputError(`unknown timezone "${patch.timezone}" (use an IANA name such as Africa/Nairobi)`);
  if (patch.website && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(patch.website)) throw new ProfileInputError('website must be an http(s) URL');
  return db.withTenant(tenantId, async (tx) => {
    const cur = await lockTenant(tx, tenantId);
    const profile: TenantProfile = { ...cur.profile };
    for (const k of PROFILE_KEYS) if (patch[k] !== undefined) (profile as Record<string, unknown>)[k] = patch[k];
    // `location` was the old name of the address; one source of truth from now on.
    if (patch.address !== undefined) delete profile.location;
    const settings = { ...cur.settings };
    if (patch.debounceMs !== undefined) settings.debounceMs = patch.debounceMs;
    if (patch.autoHandbackMinutes !== undefined) {
      if (patch.autoHandbackMinutes === null) delete settings.autoHandbackMinutes;
      else settings.autoHandbackMinutes = patch.autoHandbackMinutes;
    }
    const [row] = await tx
      .update(tenants)
      .set({ name: patch.name ?? cur.name, industry: patch.industry ?? cur.industry, profile, settings })
      .where(eq(tenants.id, tenantId))
      .returning();
    await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, ip: actor.ip, target: tenantId, action: 'profile.update', data: { fields: Object.keys(patch) } });
    return view(row!);
  });
}

export interface HoursView extends BusinessHours {
  timezone: string;
}

export async function getHours(db: Database, tenantId: string): Promise<HoursView> {
  return db.withTenant(tenantId, async (tx) => {
    const t = await lockTenant(tx, tenantId);
    return { timezone: str(t.profile.timezone) || DEFAULT_TIMEZONE, ...hoursOf(t.profile) };
  });
}

/** Replace the opening hours. @throws HoursInputError (400) for an invalid plan. */
export async function putHours(db: Database, tenantId: string, hours: BusinessHours, actor: Actor): Promise<HoursView> {
  validateHours(hours);
  const clean: BusinessHours = {
    weekly: [...hours.weekly].sort((a, b) => a.day - b.day).map((d) => ({ day: d.day, open: d.open, close: d.close, breaks: d.breaks ?? [] })),
    holidays: [...hours.holidays].sort((a, b) => a.date.localeCompare(b.date)),
  };
  return db.withTenant(tenantId, async (tx) => {
    const cur = await lockTenant(tx, tenantId);
    const profile: TenantProfile = { ...cur.profile, openingHours: clean };
    // The old free-text hours would contradict the structured plan in the prompt.
    delete profile.hours;
    await tx.update(tenants).set({ profile }).where(eq(tenants.id, tenantId));
    await auditTx(tx, { tenantId, actorType: actor.type, actorId: actor.id, ip: actor.ip, target: tenantId, action: 'hours.update', data: { days: clean.weekly.length, holidays: clean.holidays.length } });
    return { timezone: str(cur.profile.timezone) || DEFAULT_TIMEZONE, ...clean };
  });
}
