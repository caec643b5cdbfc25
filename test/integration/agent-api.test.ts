/**
 * The agents' tenant API on the real runtime: content generation over the queue (variants as
 * drafts → approved → published, with the model used), knowledge upload → kb_embed → retrieval
 * in the next turn's prompt, resources/bookings/prices; unauthenticated (401), missing
 * permission (403), bad input (400, nothing written) and cross-tenant (404) cases.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { signedIn, type Session } from '../helpers/auth.ts';
import { rows } from '../helpers/agent-scenario.ts';
import { api } from '../helpers/api.ts';

let h: Harness;
let t: TestTenant;
let t2: TestTenant;
let admin: Session;
let staff: Session;
let viewer: Session;
let otherAdmin: Session;

const call = async (s: Session | undefined, method: string, path: string, body?: unknown) => {
  const { status, body: json } = await api(h, method, path, { headers: s?.headers, body });
  return { status, body: json };
};

beforeAll(async () => {
  h = await startHarness({ env: { INBOUND_DEBOUNCE_MS: '0' } });
  t = await h.tenant({ industry: 'restaurants' });
  t2 = await h.tenant({ industry: 'restaurants' });
  [admin, staff, viewer, otherAdmin] = await Promise.all([
    signedIn(h, { tenantId: t.tenant.id, role: 'admin' }),
    signedIn(h, { tenantId: t.tenant.id, role: 'staff' }),
    signedIn(h, { tenantId: t.tenant.id, role: 'viewer' }),
    signedIn(h, { tenantId: t2.tenant.id, role: 'admin' }),
  ]);
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.reset();
  h.twilio.reset();
});

describe('content library', () => {
  it('generates variants over the queue, then approve → publish; wrong moves and other tenants refused', async () => {
    h.gemini.script({ text: 'Variant one: Nyama choma Fridays!\n---\nVariant two: Bring the family.\n---\nVariant three: Karibu!' });
    const ask = await call(staff, 'POST', '/api/tenant/content/requests', { kind: 'social_post', goal: 'Fill tables on Friday night', tone: 'warm', variants: 3 });
    expect(ask.status).toBe(202);
    const id = ask.body.request.id;
    const done = await h.until(async () => {
      const r = await call(viewer, 'GET', `/api/tenant/content/requests/${id}`);
      return r.body.request.status === 'done' ? r.body : undefined;
    });
    expect(done.items.map((i: any) => [i.variant, i.status, i.provider])).toEqual([
      [1, 'draft', 'gemini'],
      [2, 'draft', 'gemini'],
      [3, 'draft', 'gemini'],
    ]);
    expect(done.items[0].body).toBe('Variant one: Nyama choma Fridays!');
    expect(done.items[0].model).toBeTruthy();
    expect(h.gemini.requests[0]!.system).toContain(t.tenant.name);
    expect(h.gemini.requests[0]!.lastUserText).toContain('Fill tables on Friday night');
    const item = done.items[1].id;
    expect((await call(staff, 'POST', `/api/tenant/content/${item}/approve`)).status).toBe(403);
    expect((await call(otherAdmin, 'POST', `/api/tenant/content/${item}/approve`)).status).toBe(404);
    expect((await call(admin, 'POST', `/api/tenant/content/${item}/publish`)).status).toBe(409);
    expect((await call(admin, 'POST', `/api/tenant/content/${item}/approve`)).body.item.status).toBe('approved');
    expect((await call(admin, 'POST', `/api/tenant/content/${item}/publish`)).body.item).toMatchObject({ status: 'published' });
    expect((await call(viewer, 'GET', '/api/tenant/content?status=published')).body.items.map((i: any) => i.id)).toEqual([item]);
    expect((await call(otherAdmin, 'GET', '/api/tenant/content')).body.items).toEqual([]);
  });

  it('rejects bad requests, viewers and the signed-out without writing anything', async () => {
    const before = (await rows(h, 'select count(*)::int as n from content_requests'))[0]!.n;
    expect((await call(undefined, 'POST', '/api/tenant/content/requests', { kind: 'social_post', goal: 'x y z', tone: 'warm' })).status).toBe(401);
    expect((await call(viewer, 'POST', '/api/tenant/content/requests', { kind: 'social_post', goal: 'x y z', tone: 'warm' })).status).toBe(403);
    const bad = await call(staff, 'POST', '/api/tenant/content/requests', { kind: 'billboard', goal: 'x y z', tone: 'warm' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    expect((await rows(h, 'select count(*)::int as n from content_requests'))[0]!.n).toBe(before);
  });
});

describe('knowledge, resources, bookings, prices', () => {
  it('an uploaded FAQ is embedded by the worker and retrieved into the next turn; other tenants never see it', async () => {
    const up = await call(admin, 'POST', '/api/tenant/knowledge', {
      title: 'FAQ',
      format: 'faq',
      body: 'Q: Do you have vegetarian food?\nA: Yes, our githeri and vegetable curry are vegetarian.\n\nQ: Do you deliver?\nA: We deliver within 5 km via Glovo.',
    });
    expect(up.status).toBe(202);
    expect((await call(staff, 'POST', '/api/tenant/knowledge', { title: 'x', format: 'faq', body: 'y' })).status).toBe(403);
    const doc = await h.until(async () => {
      const r = await call(viewer, 'GET', `/api/tenant/knowledge/${up.body.document.id}`);
      return r.body.document.status === 'ready' ? r.body : undefined;
    });
    expect(doc.chunks).toHaveLength(2);
    expect((await call(otherAdmin, 'GET', `/api/tenant/knowledge/${up.body.document.id}`)).status).toBe(404);
    h.gemini.script({ text: 'Yes! Githeri and vegetable curry.' });
    await h.twilioSms(t, '+254700500001', 'any vegetarian dishes?');
    await h.twilio.waitFor(1);
    expect(h.gemini.requests[0]!.system).toContain('githeri and vegetable curry are vegetarian');
    h.gemini.script({ text: 'Hello.' });
    await h.twilioSms(t2, '+254700500001', 'any vegetarian dishes?');
    await h.twilio.waitFor(2);
    expect(h.gemini.requests[1]!.system).not.toContain('githeri');
  });

  it('resources and price rules: create, validate, permissions; bookings list is per tenant', async () => {
    const bad = await call(admin, 'POST', '/api/tenant/resources', { name: 'Table 1', openingHours: { mon: ['18:00', '09:00'] } });
    expect(bad.status).toBe(400);
    expect((await call(staff, 'POST', '/api/tenant/resources', { name: 'Table 1' })).status).toBe(403);
    const ok = await call(admin, 'POST', '/api/tenant/resources', { name: 'Table 1', kind: 'table', capacity: 4, openingHours: { fri: ['12:00', '23:00'] } });
    expect(ok.status).toBe(201);
    expect((await call(admin, 'POST', '/api/tenant/resources', { name: 'Table 1' })).status).toBe(409);
    expect((await call(otherAdmin, 'PATCH', `/api/tenant/resources/${ok.body.resource.id}`, { capacity: 9 })).status).toBe(404);
    expect((await call(viewer, 'GET', '/api/tenant/resources')).body.resources.map((r: any) => r.name)).toEqual(['Table 1']);
    expect((await call(otherAdmin, 'GET', '/api/tenant/resources')).body.resources).toEqual([]);
    expect((await call(viewer, 'GET', '/api/tenant/bookings')).status).toBe(200);
    const floor = await call(admin, 'PUT', '/api/tenant/prices', { product: 'Platter', listCents: 100000, floorCents: 200000, stepCents: 1000 });
    expect(floor.status).toBe(400);
    const rule = await call(admin, 'PUT', '/api/tenant/prices', { product: 'Platter', listCents: 200000, floorCents: 150000, stepCents: 10000, maxRounds: 2 });
    expect(rule.body.rule).toMatchObject({ product: 'Platter', floorCents: 150000 });
    expect((await call(staff, 'PUT', '/api/tenant/prices', { product: 'Platter', listCents: 1, floorCents: 1, stepCents: 1 })).status).toBe(403);
    expect((await call(otherAdmin, 'GET', '/api/tenant/prices')).body.rules).toEqual([]);
  });
});
