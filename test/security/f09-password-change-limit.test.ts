/**
 * Finding 9: no attempt limit on POST /api/auth/password, so a stolen session could brute-force
 * the current password. Now attempts are limited per user (RATE_LIMIT_PASSWORD_CHANGE per login
 * window): past it, 429 — even for the right current password — and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, TestTenant } from '../helpers/harness.ts';
import { createTenantUser, loginAs } from '../helpers/auth.ts';
import { api } from '../helpers/api.ts';
import { startSecurityHarness } from './security-harness.ts';

let h: Harness;
let t: TestTenant;

beforeAll(async () => {
  h = await startSecurityHarness({ RATE_LIMIT_PASSWORD_CHANGE: '5' });
  t = await h.tenant();
});
afterAll(async () => h?.close());

describe('finding 9: the current password cannot be brute-forced through a session', () => {
  it('answers 429 after 5 attempts, even with the right current password, and changes nothing', async () => {
    const cred = await createTenantUser(h, t.tenant.id, 'staff');
    const s = await loginAs(h, cred);
    const change = (currentPassword: string) => api(h, 'POST', '/api/auth/password', { headers: s.headers, body: { currentPassword, newPassword: 'brute-forced-pass-1' } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await change(`guess-${i}`)).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429]);
    const right = await change(cred.password);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    await loginAs(h, cred); // the old password still works: nothing changed
    // Another user's budget is their own.
    const other = await loginAs(h, await createTenantUser(h, t.tenant.id, 'staff'));
    expect((await api(h, 'POST', '/api/auth/password', { headers: other.headers, body: { currentPassword: 'nope-nope', newPassword: 'whatever-pass-1' } })).status).toBe(403);
  });
});
