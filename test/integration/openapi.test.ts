/**
 * The OpenAPI document is generated from the route schemas: it validates as OpenAPI 3, lists
 * every registered /api and /webhooks route with its parameters, body and responses (a route
 * without a response schema fails here), carries the error catalogue as the error code enum,
 * the area tags and the security schemes; /docs renders it in real Chromium.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST } from '../../core/errors.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { tags?: string[]; parameters?: Array<{ in: string; name: string; schema?: unknown }>; requestBody?: unknown; responses?: Record<string, { content?: Record<string, { schema?: Record<string, any> }> }>; security?: unknown[] }>>;
  tags?: Array<{ name: string }>;
  components?: { securitySchemes?: Record<string, unknown> };
};

let h: Harness;
let doc: Doc;

/** POST routes that take no body by design (actions on the resource in the path, sign-out). */
const BODYLESS = /\/(takeover|handback|send|cancel|read|approve|publish|link|view-as|logout|revoke-all|resend-invite)$/;
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z_]+)/g, '{$1}');

beforeAll(async () => {
  h = await startHarness();
  const res = await fetch(`${h.url}/docs/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
});
afterAll(() => h?.close());

describe('GET /docs/openapi.json', () => {
  it('is a valid OpenAPI 3 document with area tags and both security schemes', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect(doc.tags?.map((t) => t.name)).toEqual(expect.arrayContaining(['auth', 'tenant', 'admin', 'webhooks']));
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(['bearerAuth', 'cookieAuth']);
  });

  it('lists every registered /api and /webhooks route with request and response schemas', () => {
    const routes = h.rt.app!.registeredRoutes.filter((r) => r.url.startsWith('/api/') || r.url.startsWith('/webhooks/'));
    expect(routes.length).toBeGreaterThanOrEqual(70);
    const problems: string[] = [];
    for (const r of routes) {
      const name = `${r.method} ${r.url}`;
      const response = (r.schema?.response ?? {}) as Record<string, unknown>;
      if (!Object.keys(response).some((k) => /^2/.test(k))) problems.push(`${name}: no success response schema`);
      const op = doc.paths[toOpenApiPath(r.url)]?.[r.method.toLowerCase()];
      if (!op) {
        problems.push(`${name}: missing from the document`);
        continue;
      }
      const area = r.url.startsWith('/webhooks/') ? 'webhooks' : r.url.split('/')[2] === 'invite' ? 'auth' : r.url.split('/')[2];
      if (!op.tags?.includes(area!)) problems.push(`${name}: not tagged ${area}`);
      for (const p of r.url.matchAll(/:([A-Za-z_]+)/g))
        if (!op.parameters?.some((x) => x.in === 'path' && x.name === p[1] && x.schema)) problems.push(`${name}: path parameter ${p[1]} undocumented`);
      if (['POST', 'PUT', 'PATCH'].includes(r.method) && !BODYLESS.test(r.url) && !op.requestBody) problems.push(`${name}: no request body schema`);
      const codes = Object.keys(op.responses ?? {});
      if (!codes.some((c) => /^2/.test(c))) problems.push(`${name}: no documented success response`);
      const err = op.responses?.['4XX'] ?? op.responses?.['4xx'];
      const enumOf = err?.content?.['application/json']?.schema?.properties?.error?.properties?.code;
      const codesOf = (s: Record<string, any> | undefined): unknown[] => s?.enum ?? (s?.anyOf ?? s?.oneOf ?? []).map((x: { const?: unknown; enum?: unknown[] }) => x.const ?? x.enum?.[0]);
      if (JSON.stringify(codesOf(enumOf).sort()) !== JSON.stringify([...ERROR_CODE_LIST].sort())) problems.push(`${name}: 4XX answer is not the shared error schema`);
      if ((area === 'tenant' || area === 'admin') && !op.security?.length) problems.push(`${name}: no security requirement`);
    }
    expect(problems).toEqual([]);
  });

  it('leaves out what is not the JSON API (static pages, the widget, the chat page)', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.filter((p) => p.startsWith('/admin') || p.startsWith('/chat') || p === '/widget.js' || p.startsWith('/docs'))).toEqual([]);
    expect(paths).toContain('/healthz');
  });
});

describe('GET /docs', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('serves the reference UI without inline scripts, and it renders every area from the document', async () => {
    const html = await (await fetch(`${h.url}/docs`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="/);
      expect(body!.trim()).toBe('');
    }

    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('pageerror', (e) => failed.push(e.message));
    await page.goto(`${h.url}/docs`);
    for (const tag of ['auth', 'tenant', 'admin', 'webhooks']) await page.locator(`h3.opblock-tag[data-tag="${tag}"]`).waitFor({ timeout: 20_000 });
    await expect(page.getByText('/api/tenant/customers/{id}', { exact: true }).first().isVisible()).resolves.toBe(true);
    expect(failed).toEqual([]);
    await page.close();
  });
});
