/**
 * The one error model: the catalogue is consistent and documented (README "Error codes"), and
 * the gateway's handler answers `{ error: { code, message, requestId } }` — an AppError with
 * its own status and code, Fastify's validation errors with bad_request / invalid_id, anything
 * unknown as a 500 that leaks nothing but is logged with the request's context.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODE_LIST, ERROR_CODES, notFound } from '../../core/errors.ts';
import { registerErrorHandler } from '../../gateway/errors.ts';
import { IdParams } from '../../gateway/schemas/common.ts';

function appWithLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  const app = Fastify({ logger: { level: 'error', stream } }).withTypeProvider<TypeBoxTypeProvider>();
  registerErrorHandler(app);
  app.get('/boom', async () => {
    throw new Error('connection to db.internal:5432 failed for user aizalo_owner');
  });
  app.get('/teapot', async () => {
    throw Object.assign(new Error('secret detail'), { statusCode: 502 });
  });
  app.get('/conflict', async () => {
    throw new AppError('already_linked', 'This WhatsApp number is already linked');
  });
  app.get('/things/:id', { schema: { params: IdParams } }, async () => {
    throw notFound('thing');
  });
  app.post('/things', { schema: { body: Type.Object({ name: Type.String() }, { additionalProperties: false }) } }, async () => ({ ok: true }));
  return { app, lines };
}

describe('error catalogue', () => {
  it('gives every code a 4xx/5xx status and a one-line meaning', () => {
    expect(ERROR_CODE_LIST.length).toBeGreaterThan(20);
    for (const [code, { status, meaning }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z_]+$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
      expect(meaning.length).toBeGreaterThan(5);
      expect(meaning).not.toContain('\n');
    }
  });

  it('takes the status from the catalogue, so code and status cannot disagree', () => {
    const e = new AppError('tenant_suspended', 'suspended');
    expect(e.statusCode).toBe(403);
    expect(e.code).toBe('tenant_suspended');
    expect(e).toBeInstanceOf(Error);
  });

  it('is listed in full, with statuses, in the README table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.split('### Error codes')[1]?.split(/\n## /)[0] ?? '';
    for (const [code, { status }] of Object.entries(ERROR_CODES)) expect(section).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`));
  });
});

describe('error handler', () => {
  it('answers an unknown error with 500 internal_error, no detail, and logs it with the request id', async () => {
    const { app, lines } = appWithLogs();
    const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'req-1' } });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toEqual({ error: { code: 'internal_error', message: 'Internal server error', requestId: expect.any(String) } });
    expect(res.body).not.toContain('db.internal');
    const logged = lines.find((l) => l.msg === 'request failed');
    expect(logged).toMatchObject({ url: '/boom', method: 'GET', requestId: body.error.requestId });
    expect(JSON.stringify(logged)).toContain('db.internal:5432');
    const other = await app.inject({ method: 'GET', url: '/teapot' });
    expect(other.statusCode).toBe(502);
    expect(other.json().error).toMatchObject({ code: 'internal_error', message: 'Internal server error' });
    await app.close();
  });

  it('answers an AppError with its status, code and message', async () => {
    const { app } = appWithLogs();
    const res = await app.inject({ method: 'GET', url: '/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'already_linked', message: 'This WhatsApp number is already linked' });
    const nf = await app.inject({ method: 'GET', url: '/things/7b0e7a52-3c4f-4a0e-9f1e-6b9a1c2d3e4f' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error).toMatchObject({ code: 'not_found', message: 'No such thing' });
    await app.close();
  });

  it('maps validation to bad_request, a malformed path id to invalid_id, an unknown route to not_found', async () => {
    const { app } = appWithLogs();
    const bad = await app.inject({ method: 'POST', url: '/things', payload: { extra: true } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
    const id = await app.inject({ method: 'GET', url: '/things/not-a-uuid' });
    expect(id.statusCode).toBe(400);
    expect(id.json().error.code).toBe('invalid_id');
    const none = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('not_found');
    await app.close();
  });
});
