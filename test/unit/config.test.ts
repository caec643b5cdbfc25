/**
 * Config from the env schema: defaults match the README's configuration table, every bad
 * variable gives one clear line (secrets never echoed), and `aizalo start` with a bad variable
 * exits non-zero printing that line and no stack trace (the real CLI in a child process).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.ts';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('loadConfig', () => {
  it('fills the README defaults from an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      redisPrefix: 'aizalo',
      inboundDebounceMs: 3000,
      runGateway: true,
      trustProxy: false,
      llmAttemptTimeoutMs: 15_000,
      llmTurnBudgetMs: 45_000,
      twilioApiBaseUrl: 'https://api.twilio.com',
      africastalkingApiBaseUrl: 'https://api.africastalking.com',
      rateLimits: { loginPerIp: 60, loginWindowMs: 900_000, webhookPerTenant: 600, webhookWindowMs: 60_000 },
      security: { sessionMaxAgeS: 28_800, sessionIdleS: 7_200, sessionCacheMs: 2_000, consoleOrigins: [], loginFreeFailures: 5, webchatMsgPerVisitor: 10 },
      gemini: { model: 'gemini-2.5-flash' },
      groq: { model: 'llama-3.3-70b-versatile' },
      openai: { model: 'gpt-4o-mini' },
      llmRouting: { realtimeShareCap: 0.1, realtimeWindowMs: 60_000, realtimeMinSample: 20, breakerFailures: 5, breakerFailureRate: 0.5, breakerCooldownMs: 30_000 },
    });
    expect(c.activeQueues).toBeUndefined();
    expect(c.databaseUrl).toBeUndefined();
    expect(c.secretKeyGenerated).toBe(true);
  });

  it('converts and maps set variables (numbers, lists, JSON, trailing slashes, blank = unset)', () => {
    const c = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://chat.example.com/',
      ACTIVE_QUEUES: 'inbound, outbound',
      LLM_PRICES: '{"gpt-4o-mini":[1000000,2000000]}',
      TRUST_PROXY: '2',
      LOG_LEVEL: '',
      ROLE: 'worker',
    });
    expect(c.port).toBe(8080);
    expect(c.publicUrl).toBe('https://chat.example.com');
    expect(c.activeQueues).toEqual(['inbound', 'outbound']);
    expect(c.llmRouting.prices['gpt-4o-mini']).toEqual([1_000_000, 2_000_000]);
    expect(c.llmRouting.prices['gemini-2.5-flash']).toEqual([300_000, 2_500_000]);
    expect(c.trustProxy).toBe(2);
    expect(c.logLevel).toBe('info');
    expect(c.runGateway).toBe(false);
    expect(loadConfig({ ACTIVE_QUEUES: 'none' }).activeQueues).toEqual([]);
    expect(loadConfig({ ROLE: 'gateway' }).activeQueues).toEqual([]);
  });

  it('names every bad variable and why, one line each', () => {
    const problems = problemsOf({
      PORT: 'abc',
      HOST: '127.0.0.1',
      ROLE: 'boss',
      ACTIVE_QUEUES: 'inbound,inboud',
      LLM_PRICES: '{"x":[1,-2]}',
      LLM_REALTIME_SHARE_CAP: '1.5',
      INBOUND_DEBOUNCE_MS: '2.5',
    });
    expect(problems).toEqual([
      'PORT must be an integer from 0 to 65535, got "abc"',
      'ROLE must be one of all, gateway, worker, got "boss"',
      expect.stringMatching(/^ACTIVE_QUEUES must be a comma list of queue names \(inbound, outbound, .*sales_inbound\) or none, got "inbound,inboud" \(at \/1: "inboud"\)$/),
      'INBOUND_DEBOUNCE_MS must be an integer from 0 to 86400000, got "2.5"',
      'LLM_REALTIME_SHARE_CAP must be a number between 0 and 1, got "1.5"',
      expect.stringMatching(/^LLM_PRICES must be JSON like .* got "\{\\"x\\":\[1,-2\]\}" \(at \/x\/1: -2\)$/),
    ]);
    expect(problemsOf({ LLM_PRICES: '{oops' })).toEqual([expect.stringMatching(/^LLM_PRICES must be JSON .*\(not valid JSON\)$/)]);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT must be an integer from 0 to 65535, got "70000"']);
  });

  it('never echoes a secret in a problem line', () => {
    const problems = problemsOf({ SECRET_KEY: 'short-secret', DATABASE_URL: 'postgres//user:hunter2@db' });
    expect(problems).toEqual(['DATABASE_URL must be an absolute URL (e.g. https://host:port)', 'SECRET_KEY must be at least 16 characters']);
    expect(problems.join('\n')).not.toMatch(/short-secret|hunter2/);
  });
});

describe('aizalo start with a bad variable', () => {
  it('exits non-zero printing which variable is wrong and why, without a stack trace', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aizalo-cfg-'));
    const bin = path.resolve(import.meta.dirname, '../../bin/aizalo.mjs');
    const res = spawnSync(process.execPath, [bin, 'start'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: 'abc', ROLE: 'boss' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toEqual([
      'aizalo: Invalid environment:',
      '  - PORT must be an integer from 0 to 65535, got "abc"',
      '  - ROLE must be one of all, gateway, worker, got "boss"',
    ]);
    expect(res.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
