/**
 * Console setup API: business profile, opening hours, the onboarding checklist, the web-chat
 * embed, knowledge (add with progress events, search, delete) and price rules (floor always in
 * force, DELETE). Each route: happy path, 400/404, 401 signed out, 403 wrong role, another
 * tenant's data invisible. Real runtime (PostgreSQL, Redis/BullMQ, fake Gemini for embeddings).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../helpers/harness.ts';
import { callAs, drainSse, roles } from '../helpers/console.ts';

let h: Harness;
let A: TestTenant;
let B: TestTenant;
let a: Awaited<ReturnType<typeof roles>>;
let b: Awaited<ReturnType<typeof roles>>;
let call: ReturnType<typeof callAs>;

beforeAll(async () => {
  h = await startHarness();
  [A, B] = [await h.tenant(), await h.tenant()];
  [a, b] = [await roles(h, A.tenant.id), await roles(h, B.tenant.id)];
  call = callAs(h);
});
afterAll(async () => h?.close());

describe('profile', () => {
  it('reads defaults, patches fields (audited), keeps tenants apart', async () => {
    const r0 = await call(a.viewer, 'GET', '/api/tenant/profile');
    expect(r0.status).toBe(200);
    expect(r0.body).toMatchObject({ name: A.tenant.name, timezone: 'Africa/Nairobi', languages: ['en'], autoHandbackMinutes: null });
    const patch = { description: 'Boutique hotel by the lake', address: '12 Lake Rd, Naivasha', phone: '+254700111222', website: 'https://lakehotel.example', persona: 'Warm and brief', languages: ['en', 'sw'], autoHandbackMinutes: 30, debounceMs: 1500 };
    const r1 = await call(a.admin, 'PATCH', '/api/tenant/profile', patch);
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject(patch);
    expect((await call(a.viewer, 'GET', '/api/tenant/profile')).body).toMatchObject(patch);
    expect((await call(b.owner, 'GET', '/api/tenant/profile')).body.description).toBe('');
    const audit = await h.rt.db.query<{ n: number }>(`select count(*)::int as n from audit_log where tenant_id = $1 and action = 'profile.update'`, [A.tenant.id]);
    expect(audit[0]!.n).toBe(1);
  });
  it('400 on bad input, 401 signed out, 403 for staff/viewer', async () => {
    for (const bad of [{ timezone: 'Mars/Olympus' }, { website: 'javascript:alert(1)' }, { languages: ['fr'] }, {}]) {
      const r = await call(a.owner, 'PATCH', '/api/tenant/profile', bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) });
    }
    expect((await call(undefined, 'GET', '/api/tenant/profile')).status).toBe(401);
    expect((await call(undefined, 'PATCH', '/api/tenant/profile', { description: 'x' })).status).toBe(401);
    expect((await call(a.staff, 'PATCH', '/api/tenant/profile', { description: 'x' })).status).toBe(403);
    expect((await call(a.viewer, 'PATCH', '/api/tenant/profile', { description: 'x' })).status).toBe(403);
  });
});

describe('hours', () => {
  const weekly = [
    { day: 1, open: '08:00', close: '18:00', breaks: [{ start: '13:00', end: '14:00' }] },
    { day: 6, open: '09:00', close: '13:00', breaks: [] },
  ];
  it('puts and reads a weekly plan with holidays', async () => {
    const r = await call(a.owner, 'PUT', '/api/tenant/hours', { weekly, holidays: [{ date: '2026-12-25', name: 'Christmas' }] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ timezone: 'Africa/Nairobi', weekly, holidays: [{ date: '2026-12-25', name: 'Christmas' }] });
    expect((await call(a.viewer, 'GET', '/api/tenant/hours')).body.weekly).toEqual(weekly);
    expect((await call(b.viewer, 'GET', '/api/tenant/hours')).body.weekly).toEqual([]);
  });
  it('refuses close <= open, breaks outside the day, overlapping breaks, a day twice, bad dates', async () => {
    const bad = [
      [{ day: 1, open: '18:00', close: '08:00', breaks: [] }],
      [{ day: 1, open: '08:00', close: '08:00', breaks: [] }],
      [{ day: 1, open: '08:00', close: '12:00', breaks: [{ start: '12:30', end: '13:00' }] }],
      [{ day: 1, open: '08:00', close: '18:00', breaks: [{ start: '10:00', end: '11:00' }, { start: '10:30', end: '11:30' }] }],
      [{ day: 2, open: '08:00', close: '18:00', breaks: [] }, { day: 2, open: '09:00', close: '10:00', breaks: [] }],
      [{ day: 7, open: '08:00', close: '18:00', breaks: [] }],
      [{ day: 1, open: '8am', close: '18:00', breaks: [] }],
    ];
    for (const w of bad) expect((await call(a.owner, 'PUT', '/api/tenant/hours', { weekly: w, holidays: [] })).status, JSON.stringify(w)).toBe(400);
    expect((await call(a.owner, 'PUT', '/api/tenant/hours', { weekly: [], holidays: [{ date: '2026-02-30', name: 'x' }] })).status).toBe(400);
    expect((await call(a.viewer, 'GET', '/api/tenant/hours')).body.weekly).toEqual(weekly); // nothing half-written
    expect((await call(a.staff, 'PUT', '/api/tenant/hours', { weekly, holidays: [] })).status).toBe(403);
    expect((await call(undefined, 'GET', '/api/tenant/hours')).status).toBe(401);
  });
});

describe('web-chat embed and onboarding', () => {
  it('answers the snippet and chat URL for the tenant', async () => {
    const r = await call(a.viewer, 'GET', '/api/tenant/webchat');
    expect(r.status).toBe(200);
    expect(r.body.snippet).toBe(`<script src="https://aizalo.test/widget.js" data-tenant="${A.tenant.slug}"></script>`);
    expect(r.body.chatUrl).toBe(`https://aizalo.test/chat/${A.tenant.slug}`);
    expect((await call(undefined, 'GET', '/api/tenant/webchat')).status).toBe(401);
  });
  it('ticks steps from what the tenant has', async () => {
    const steps = async (who: typeof a.viewer) => Object.fromEntries((await call(who, 'GET', '/api/tenant/onboarding')).body.steps.map((s: { key: string; done: boolean }) => [s.key, s.done]));
    // A: profile + hours set above; the harness gave both tenants SMS channels.
    expect(await steps(a.viewer)).toEqual({ profile: true, hours: true, knowledge: false, prices: false, channel: true, test: false });
    expect(await steps(b.viewer)).toEqual({ profile: false, hours: false, knowledge: false, prices: false, channel: true, test: false });
    expect((await call(undefined, 'GET', '/api/tenant/onboarding')).status).toBe(401);
  });
});

describe('knowledge', () => {
  it('indexes a CSV FAQ with progress events, finds it by search, deletes it', async () => {
    const ctl = new AbortController();
    const sse = await fetch(`${h.url}/api/tenant/events`, { headers: a.viewer.headers, signal: ctl.signal });
    const other = await fetch(`${h.url}/api/tenant/events`, { headers: b.viewer.headers, signal: ctl.signal });
    const seen = { text: '' };
    const otherSeen = { text: '' };
    drainSse(sse, seen);
    drainSse(other, otherSeen);
    await h.until(() => seen.text.includes('connected') && otherSeen.text.includes('connected'));
    const rows = Array.from({ length: 40 }, (_, i) => `"Question ${i}?","Answer ${i}: breakfast is served from ${6 + (i % 4)} am"`);
    const text = ['question,answer', '"Is there parking?","Yes, free parking behind the hotel for guests."', ...rows].join('\n');
    const r = await call(a.admin, 'POST', '/api/tenant/knowledge', { title: 'Hotel FAQ', text, format: 'csv' });
    expect(r.status).toBe(202);
    const id = r.body.document.id;
    expect(r.body.document).toMatchObject({ status: 'queued', chunksDone: 0, chunksTotal: 0 });
    await h.until(async () => (await call(a.viewer, 'GET', '/api/tenant/knowledge')).body.documents.find((d: { id: string; status: string }) => d.id === id)?.status === 'ready', 15_000, 'document ready');
    const doc = (await call(a.viewer, 'GET', '/api/tenant/knowledge')).body.documents.find((d: { id: string }) => d.id === id);
    expect(doc).toMatchObject({ title: 'Hotel FAQ', status: 'ready', chunksDone: 41, chunksTotal: 41, error: null });
    await h.until(() => seen.text.includes('"status":"ready"'), 5000, 'ready event');
    const events = seen.text.split('\n').filter((l) => l.startsWith('data: ') && l.includes('knowledge.progress')).map((l) => JSON.parse(l.slice(6)));
    expect(events.map((e) => `${e.status} ${e.chunksDone}/${e.chunksTotal}`)).toEqual(['chunking 0/0', 'embedding 0/41', 'embedding 32/41', 'ready 41/41']);
    expect(events.every((e) => e.documentId === id)).toBe(true);
    expect(seen.text).toContain('event: knowledge.progress');
    expect(otherSeen.text).not.toContain(id);
    ctl.abort();

    const s = await call(a.viewer, 'POST', '/api/tenant/knowledge/search', { query: 'Is there parking?' });
    expect(s.status).toBe(200);
    expect(s.body.chunks[0]).toMatchObject({ documentId: id, title: 'Hotel FAQ', text: expect.stringContaining('free parking') });
    expect(s.body.chunks[0].score).toBeGreaterThan(s.body.chunks[s.body.chunks.length - 1].score - 1e-9);
    expect((await call(b.viewer, 'POST', '/api/tenant/knowledge/search', { query: 'Is there parking?' })).body.chunks).toEqual([]);
    expect((await call(a.viewer, 'POST', '/api/tenant/knowledge/search', { query: '' })).status).toBe(400);
    expect((await call(undefined, 'POST', '/api/tenant/knowledge/search', { query: 'parking' })).status).toBe(401);

    expect((await call(a.viewer, 'DELETE', `/api/tenant/knowledge/${id}`)).status).toBe(403);
    expect((await call(b.owner, 'DELETE', `/api/tenant/knowledge/${id}`)).status).toBe(404);
    expect((await call(a.admin, 'DELETE', `/api/tenant/knowledge/${id}`)).status).toBe(204);
    expect((await call(a.admin, 'DELETE', `/api/tenant/knowledge/${id}`)).status).toBe(404);
    expect((await call(a.viewer, 'POST', '/api/tenant/knowledge/search', { query: 'Is there parking?' })).body.chunks).toEqual([]);
  });
  it('400 for an empty or doubly-given document, 403 for staff', async () => {
    expect((await call(a.admin, 'POST', '/api/tenant/knowledge', { title: 'x', text: '   ' })).status).toBe(400);
    expect((await call(a.admin, 'POST', '/api/tenant/knowledge', { title: 'x', text: 'a', body: 'b' })).status).toBe(400);
    expect((await call(a.admin, 'POST', '/api/tenant/knowledge', { title: 'x' })).status).toBe(400);
    expect((await call(a.staff, 'POST', '/api/tenant/knowledge', { title: 'x', text: 'hello there' })).status).toBe(403);
  });
});

describe('prices', () => {
  it('a rule without maxDiscountPct is bounded by its floor; DELETE removes it', async () => {
    const put = await call(a.admin, 'PUT', '/api/tenant/prices', { product: 'Deluxe room', listCents: 1_000_000, floorCents: 800_000, stepCents: 100_000, maxRounds: 5 });
    expect(put.status).toBe(200);
    expect(put.body.rule).toMatchObject({ maxDiscountPct: null, floorCents: 800_000 });
    // Replacing a capped rule without a cap drops the old cap.
    await call(a.admin, 'PUT', '/api/tenant/prices', { product: 'Suite', listCents: 2_000_000, floorCents: 1_500_000, stepCents: 100_000, maxDiscountPct: 10 });
    const again = await call(a.admin, 'PUT', '/api/tenant/prices', { product: 'Suite', listCents: 2_000_000, floorCents: 1_500_000, stepCents: 100_000 });
    expect(again.body.rule.maxDiscountPct).toBeNull();
    expect((await call(a.admin, 'PUT', '/api/tenant/prices', { product: 'Bad', listCents: 100, floorCents: 200, stepCents: 10 })).status).toBe(400);
    expect((await call(a.staff, 'PUT', '/api/tenant/prices', { product: 'X', listCents: 100, floorCents: 50, stepCents: 10 })).status).toBe(403);
    const id = again.body.rule.id;
    expect((await call(b.owner, 'DELETE', `/api/tenant/prices/${id}`)).status).toBe(404);
    expect((await call(a.viewer, 'DELETE', `/api/tenant/prices/${id}`)).status).toBe(403);
    expect((await call(undefined, 'DELETE', `/api/tenant/prices/${id}`)).status).toBe(401);
    expect((await call(a.admin, 'DELETE', `/api/tenant/prices/not-a-uuid`)).status).toBe(400);
    expect((await call(a.admin, 'DELETE', `/api/tenant/prices/${id}`)).status).toBe(204);
    expect((await call(a.viewer, 'GET', '/api/tenant/prices')).body.rules.map((r: { product: string }) => r.product)).toEqual(['Deluxe room']);
  });
});
