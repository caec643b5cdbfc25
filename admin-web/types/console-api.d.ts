/**
 * The console's API, hand-written from /tmp console contract + the deviations the API engineers
 * recorded (response keys `documents`, `resources`, `bookings`), and from the route files that
 * exist today (inbox, channels, prices, settings, auth). `admin-web/shared/api.js` `call()` is
 * typed by `Routes`, so `tsc` checks every view's request and the fields it reads.
 * When GET /docs/openapi.json exists, `npm run gen:api-types` writes the generated
 * `admin-web/types/api.d.ts` (openapi-typescript) next to this file; times are ISO 8601 strings,
 * money integer KES cents (`…Cents`).
 */

export type Role = 'owner' | 'admin' | 'staff' | 'viewer';
export type Id = string;
export interface Page<T> { items?: T[]; nextCursor: string | null }

export interface Me {
  user: { id: Id; userType: 'platform' | 'tenant'; role: string; email: string; name: string | null; tenantId?: Id };
  tenant?: { id: Id; role: Role; viewAs: boolean };
}
export interface TenantSettings {
  tenant: { id: Id; slug: string; name: string; industry: string; status: string; profile: Record<string, unknown>; settings: Record<string, unknown> };
}
export type Language = 'en' | 'sw' | 'sheng';
export interface Profile {
  name: string; industry: string; description: string; address: string; phone: string; website: string; timezone: string;
  languages: Language[]; persona: string; escalationRules: string; debounceMs: number; autoHandbackMinutes: number | null;
}
export interface HoursDay { day: number; open: string; close: string; breaks: Array<{ start: string; end: string }> }
export interface Hours { timezone?: string; weekly: HoursDay[]; holidays: Array<{ date: string; name: string }> }
export interface Onboarding { steps: Array<{ key: 'profile' | 'hours' | 'knowledge' | 'prices' | 'channel' | 'test'; label: string; done: boolean }> }

export interface InboxItem {
  id: Id; owner: 'ai' | 'human' | 'unassigned'; assignedUserId: Id | null; assignedName: string | null; needsHuman: boolean;
  needsHumanReason: string | null; lastMessageAt: string; customer: { id: Id; name: string | null; handle: string };
  channel: { type: string }; lastMessage: { text: string; sender: string } | null; unread: number;
}
export type InboxFilter = 'needs_human' | 'mine' | 'ai' | 'all';
export interface InboxList { conversations: InboxItem[]; counts: Record<InboxFilter, number> & { unread: number } }
export interface InboxMessage { id: Id; direction: string; sender: string; text: string; status: string; error: string | null; created_at: string }
export interface InboxConversation {
  conversation: { id: Id; owner: 'ai' | 'human' | 'unassigned'; assignedUserId: Id | null; assignedName: string | null; needsHuman: boolean; needsHumanReason: string | null };
  customer: { id: Id; name: string | null; handle: string; phone: string | null; language: string | null };
  channel: { type: string; provider: string; address: string };
  messages: InboxMessage[];
  leads: Array<{ id: Id; stage: string; interest: string | null; value_cents: number | null }>;
  bookings: Array<{ id: Id; status: string; starts_at: string; ends_at: string; resource: string | null }>;
}
export interface TeamMember { id: Id; name: string; email: string; role: Role }

export interface LinkView { status: string; reason?: string | null; qr?: string; pairingCode?: string; updatedAt?: string | null }
export interface Channel {
  id: Id; type: 'sms' | 'whatsapp' | 'webchat'; provider: string; address: string; status: string; enabled?: boolean; createdAt: string;
  link?: LinkView;
}
export type NewChannel =
  | { type: 'sms'; provider: 'twilio'; address: string; accountSid: string; authToken: string }
  | { type: 'sms'; provider: 'africastalking'; address: string; username: string; apiKey: string }
  | { type: 'whatsapp' };

export interface PriceRule {
  id: Id; product: string; listCents: number; floorCents: number; stepCents: number; maxRounds: number; maxDiscountPct: number | null; active: boolean;
}
export interface PriceRuleInput { product: string; listCents: number; floorCents: number; stepCents: number; maxRounds?: number; maxDiscountPct?: number | null; active?: boolean }
export interface PriceOffer { id: number; ruleId: Id; round: number; customerAskCents: number | null; offeredCents: number | null; decision: string; createdAt: string }

export interface KnowledgeDoc {
  id: Id; title: string; format?: string; status: string; chunksDone?: number; chunksTotal?: number; chunkCount?: number; error: string | null; createdAt: string;
}
export interface KnowledgeChunk { documentId: Id; title: string; text: string; score: number }

export interface Resource {
  id: Id; name: string; kind: string; capacity: number; slotMinutes: number | null; pricePerNightCents?: number | null; active?: boolean;
  openingHours?: Record<string, [string, string]> | null; timezone?: string;
}
export interface ResourceInput { name: string; kind: 'slot' | 'nightly'; capacity?: number; slotMinutes?: number; pricePerNightCents?: number | null }
export interface Booking {
  id: Id; resourceId: Id; resourceName: string; customerId: Id | null; customerName: string | null; startsAt: string; endsAt: string; status: string; note: string | null;
}

export interface TenantUser { id: Id; email: string; name: string | null; phone: string | null; role: Role; status: 'active' | 'invited' | 'deactivated'; createdAt: string }
export interface ToolCall { name: string; args: unknown; result: unknown; dryRun: boolean }
export interface PlaygroundTurn { role: 'customer' | 'agent'; text: string }

type R<Res, Body = undefined, Query = undefined> = { res: Res; body: Body; query: Query };

/** Every call the console makes: 'METHOD /path/:param' → request body, query and response. */
export interface Routes {
  'POST /api/auth/login': R<{ user: Me['user'] }, { email: string; password: string; tenant?: string }>;
  'POST /api/auth/logout': R<void>;
  'GET /api/auth/me': R<Me>;
  'GET /api/auth/invite': R<{ email: string; tenant: { slug: string; name: string } }, undefined, { token: string }>;
  'POST /api/auth/invite/accept': R<unknown, { token: string; password: string }>;
  'POST /api/auth/password-reset': R<void, { email: string; tenant?: string }>;
  'POST /api/auth/password-reset/confirm': R<void, { token: string; newPassword: string }>;

  'GET /api/tenant/settings': R<TenantSettings>;
  'GET /api/tenant/profile': R<Profile>;
  'PATCH /api/tenant/profile': R<Profile, Partial<Profile>>;
  'GET /api/tenant/hours': R<Hours>;
  'PUT /api/tenant/hours': R<Hours, Omit<Hours, 'timezone'>>;
  'GET /api/tenant/onboarding': R<Onboarding>;
  'POST /api/tenant/playground': R<{ reply: string; toolCalls: ToolCall[]; provider: string }, { message: string; history?: PlaygroundTurn[] }>;

  'GET /api/tenant/conversations': R<InboxList, undefined, { filter: InboxFilter }>;
  'GET /api/tenant/conversations/:id': R<InboxConversation>;
  'POST /api/tenant/conversations/:id/read': R<void>;
  'POST /api/tenant/conversations/:id/takeover': R<unknown>;
  'POST /api/tenant/conversations/:id/handback': R<unknown>;
  'POST /api/tenant/conversations/:id/assign': R<unknown, { userId: Id }>;
  'POST /api/tenant/conversations/:id/messages': R<unknown, { text: string }>;
  'GET /api/tenant/team': R<{ users: TeamMember[] }>;

  'GET /api/tenant/channels': R<{ channels: Channel[] }>;
  'POST /api/tenant/channels': R<{ channel: Channel; webhookUrl?: string }, NewChannel>;
  'PATCH /api/tenant/channels/:id': R<{ channel: Channel }, { enabled?: boolean }>;
  'DELETE /api/tenant/channels/:id': R<void>;
  'GET /api/tenant/channels/:id/link': R<LinkView>;
  'POST /api/tenant/channels/:id/link': R<LinkView>;
  'POST /api/tenant/channels/:id/pairing-code': R<LinkView, { phone: string }>;
  'GET /api/tenant/webchat': R<{ snippet: string; chatUrl: string }>;

  'GET /api/tenant/prices': R<{ rules: PriceRule[] }>;
  'PUT /api/tenant/prices': R<{ rule: PriceRule }, PriceRuleInput>;
  'DELETE /api/tenant/prices/:id': R<void>;
  'GET /api/tenant/prices/offers': R<{ offers: PriceOffer[] }, undefined, { item?: string }>;

  'GET /api/tenant/knowledge': R<{ documents: KnowledgeDoc[]; nextCursor?: string | null }, undefined, { limit?: number; cursor?: string }>;
  'POST /api/tenant/knowledge': R<{ document: KnowledgeDoc }, { title: string; text: string; format?: 'text' | 'markdown' | 'csv' | 'faq' }>;
  'DELETE /api/tenant/knowledge/:id': R<void>;
  'POST /api/tenant/knowledge/search': R<{ chunks: KnowledgeChunk[] }, { query: string }>;

  'GET /api/tenant/resources': R<{ resources: Resource[] }>;
  'POST /api/tenant/resources': R<{ resource: Resource }, ResourceInput>;
  'PATCH /api/tenant/resources/:id': R<{ resource: Resource }, Partial<ResourceInput> & { active?: boolean }>;
  'DELETE /api/tenant/resources/:id': R<void>;
  'GET /api/tenant/bookings': R<{ bookings: Booking[]; nextCursor?: string | null }, undefined, { from: string; to: string; resourceId?: string; limit?: number; cursor?: string }>;
  'POST /api/tenant/bookings': R<{ booking: Booking }, { resourceId: Id; startsAt: string; endsAt: string; customerName?: string; customerPhone?: string; note?: string }>;
  'PATCH /api/tenant/bookings/:id': R<{ booking: Booking }, { startsAt: string; endsAt: string; resourceId?: Id }>;
  'POST /api/tenant/bookings/:id/cancel': R<{ booking: Booking }>;

  'GET /api/tenant/users': R<{ items: TenantUser[]; nextCursor: string | null }, undefined, { limit?: number; cursor?: string }>;
  'POST /api/tenant/users': R<{ user: TenantUser }, { email: string; role: Exclude<Role, 'owner'>; phone?: string; name?: string }>;
  'PATCH /api/tenant/users/:id': R<{ user?: TenantUser }, { role?: Exclude<Role, 'owner'>; active?: boolean }>;
  'DELETE /api/tenant/users/:id': R<void>;
  'POST /api/tenant/users/:id/resend-invite': R<void>;
  'POST /api/tenant/owner-transfer': R<unknown, { userId: Id }>;
}
export type RouteKey = keyof Routes;
/** `:name` segments of a route template. */
export type ParamsOf<S extends string> = S extends `${string}:${infer P}/${infer Rest}` ? P | ParamsOf<`/${Rest}`> : S extends `${string}:${infer P}` ? P : never;
export type CallArgs<K extends RouteKey> = ([ParamsOf<K>] extends [never] ? { params?: undefined } : { params: Record<ParamsOf<K>, string> }) &
  (Routes[K]['body'] extends undefined ? { body?: undefined } : { body: Routes[K]['body'] }) &
  (Routes[K]['query'] extends undefined ? { query?: undefined } : { query?: Routes[K]['query'] });
