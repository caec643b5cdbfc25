/**
 * Integration harness: a full Aizalo runtime (gateway listening on 127.0.0.1:random, workers,
 * real PostgreSQL database of its own, real Redis/BullMQ under its own key prefix) wired to
 * local fakes of Gemini, Groq, OpenAI, Twilio and Africa's Talking through their base URLs.
 * `mode: 'zero'` gives the zero-setup runtime instead (PGlite in a temp dir, inline queue).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { createChannel } from '../../core/services/tenancy/channels.ts';
import { createTenant, type NewTenant, type TenantRow } from '../../core/services/tenancy/tenants.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../bin/runtime.ts';
import { createFakeGemini, type FakeGemini } from '../fakes/fake-gemini.ts';
import { createFakeGroq, createFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.ts';
import { createFakeTwilio, type FakeTwilio } from '../fakes/fake-twilio.ts';
import { createFakeAfricasTalking, type FakeAfricasTalking } from '../fakes/fake-africastalking.ts';
import { signTwilioRequest } from '../fakes/twilio-signature.ts';
import { createTestDatabase } from './pg.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PUBLIC_URL = 'https://aizalo.test';

export interface Harness {
  rt: Runtime;
  /** http://127.0.0.1:port of the listening gateway. */
  url: string;
  gemini: FakeGemini;
  groq: FakeOpenAI;
  openai: FakeOpenAI;
  twilio: FakeTwilio;
  at: FakeAfricasTalking;
  /** Create a tenant (active) with a Twilio number and an Africa's Talking short code. */
  tenant(input?: Partial<NewTenant>): Promise<TestTenant>;
  /** POST a signed Twilio inbound SMS webhook. */
  twilioSms(t: TestTenant, from: string, body: string, sid?: string, extra?: { signatureToken?: string }): Promise<Response>;
  /** Wait until `fn` returns truthy (polls every 25 ms). */
  until<T>(fn: () => Promise<T> | T, timeoutMs?: number, what?: string): Promise<T>;
  /**
   * Resolve once the message queues (default inbound + outbound) have had no waiting, delayed or
   * active job for three polls in a row: use before asserting that nothing more happened.
   */
  settled(queues?: string[], timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface TestTenant {
  tenant: TenantRow;
  twilioNumber: string;
  twilioSid: string;
  twilioToken: string;
  atCode: string;
  atToken: string;
  atUsername: string;
  atApiKey: string;
}

export interface HarnessOptions {
  /** Reuse this DATA_DIR (zero-setup restarts); it is then not removed on close. */
  dataDir?: string;
  mode?: 'production' | 'zero';
  env?: Record<string, string>;
  /** Providers to configure (default all three). */
  providers?: Array<'gemini' | 'groq' | 'openai'>;
  /** Extra runtime options (e.g. `whatsapp: { factory }` for a fake Baileys socket). */
  runtime?: Omit<RuntimeOptions, 'logger'>;
}

let seq = 0;
const rand = () => randomBytes(4).toString('hex');

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const mode = opts.mode ?? 'production';
  const providers = opts.providers ?? ['gemini', 'groq', 'openai'];
  const [gemini, groq, openai, twilio, at] = await Promise.all([
    createFakeGemini(),
    createFakeGroq(),
    createFakeOpenAI(),
    createFakeTwilio(),
    createFakeAfricasTalking(),
  ]);
  const database = mode === 'production' ? await createTestDatabase() : undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'aizalo-test-'));
  const prefix = `aizalo-test-${process.pid}-${++seq}-${rand()}`;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL,
    DATA_DIR: dataDir,
    SECRET_KEY: 'test-secret-key-0123456789abcdef',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_PREFIX: prefix,
    LLM_ATTEMPT_TIMEOUT_MS: '1500',
    // One reply per message in tests unless a test sets tenants.settings.debounceMs (issue 7).
    INBOUND_DEBOUNCE_MS: '0',
    TWILIO_API_BASE_URL: twilio.url,
    AFRICASTALKING_API_BASE_URL: at.url,
    ...(providers.includes('gemini') ? { GEMINI_API_KEY: 'test-gemini-key', GEMINI_BASE_URL: gemini.baseUrl } : {}),
    ...(providers.includes('groq') ? { GROQ_API_KEY: 'test-groq-key', GROQ_BASE_URL: groq.baseUrl } : {}),
    ...(providers.includes('openai') ? { OPENAI_API_KEY: 'test-openai-key', OPENAI_BASE_URL: openai.baseUrl } : {}),
    ...(database ? { DATABASE_URL: database.url, REDIS_URL } : {}),
    ...opts.env,
  };
  const cfg = loadConfig(env);
  const rt = await createRuntime(cfg, { ...opts.runtime, logger: createLogger(env.LOG_LEVEL!) });
  const url = (await rt.start())!.replace('[::1]', '127.0.0.1');

  const h: Harness = {
    rt,
    url,
    gemini,
    groq,
    openai,
    twilio,
    at,
    async tenant(input = {}) {
      const slug = input.slug ?? `t-${rand()}`;
      const tenant = await createTenant(rt.db, { name: `Tenant ${slug}`, industry: 'hotels', status: 'active', ...input, slug });
      const n = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
      const twilioNumber = `+1555${n}`;
      const twilioSid = `AC${randomBytes(16).toString('hex')}`;
      const twilioToken = randomBytes(16).toString('hex');
      twilio.addAccount(twilioSid, twilioToken);
      await createChannel(rt.db, rt.box, {
        tenantId: tenant.id,
        type: 'sms',
        provider: 'twilio',
        address: twilioNumber,
        credentials: { accountSid: twilioSid, authToken: twilioToken },
      });
      const atCode = String(20000 + Math.floor(Math.random() * 79999));
      const atUsername = `user-${rand()}`;
      const atApiKey = `key-${rand()}`;
      at.addAccount(atUsername, atApiKey);
      const { webhookToken } = await createChannel(rt.db, rt.box, {
        tenantId: tenant.id,
        type: 'sms',
        provider: 'africastalking',
        address: atCode,
        credentials: { username: atUsername, apiKey: atApiKey },
      });
      return { tenant, twilioNumber, twilioSid, twilioToken, atCode, atToken: webhookToken!, atUsername, atApiKey };
    },
    async twilioSms(t, from, body, sid = `SM${randomBytes(16).toString('hex')}`, extra = {}) {
      const params = { MessageSid: sid, AccountSid: t.twilioSid, From: from, To: t.twilioNumber, Body: body, NumMedia: '0' };
      const signature = signTwilioRequest(extra.signatureToken ?? t.twilioToken, `${PUBLIC_URL}/webhooks/twilio/sms`, params);
      return fetch(`${url}/webhooks/twilio/sms`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params),
      });
    },
    async until(fn, timeoutMs = 10_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async settled(queues = ['inbound', 'outbound'], timeoutMs = 15_000) {
      let quiet = 0;
      await h.until(async () => {
        const counts = await rt.queue.counts();
        quiet = queues.every((q) => !counts[q]) ? quiet + 1 : 0;
        return quiet >= 3;
      }, timeoutMs, `queues ${queues.join(', ')} to settle`);
    },
    async close() {
      await rt.stop();
      await Promise.all([gemini.close(), groq.close(), openai.close(), twilio.close(), at.close()]);
      if (database) await database.drop();
      if (mode === 'production') {
        const redis = new Redis(REDIS_URL);
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}
