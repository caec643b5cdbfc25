/**
 * Environment, parsed once at boot into a typed, frozen object.
 *
 * Nothing else in the code base reads `process.env`: callers receive a `Config`
 * (usually through `loadConfig()` at the process edge, or a test building one
 * with `loadConfig({ ...overrides })`). Behaviour never branches on NODE_ENV.
 *
 * Errors: throws `ConfigError` listing every invalid variable at once.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LlmProviderConfig {
  apiKey?: string;
  baseUrl?: string;
  model: string;
}

export interface Config {
  port: number;
  host: string;
  /** Base URL the outside world uses to reach us; Twilio signatures are computed over it. */
  publicUrl: string;
  /** PostgreSQL URL; unset → embedded PGlite under dataDir (zero-setup mode). */
  databaseUrl?: string;
  /** Redis URL; unset → inline queue driver and in-process event bus. */
  redisUrl?: string;
  dataDir: string;
  /** Master secret: cookie/JWT signing and (via HKDF) encryption of channel credentials. */
  secretKey: string;
  /** True when SECRET_KEY was not given and a random one was generated for this process. */
  secretKeyGenerated: boolean;
  logLevel: string;
  gemini: LlmProviderConfig;
  groq: LlmProviderConfig;
  openai: LlmProviderConfig;
  twilioApiBaseUrl: string;
  africastalkingApiBaseUrl: string;
  /** Queue names this process consumes; undefined = all (one-process mode). ACTIVE_QUEUES=inbound,outbound */
  activeQueues?: string[];
  /** Run the HTTP gateway in this process (ROLE=worker disables it). */
  runGateway: boolean;
  /** LLM router: deadline per provider attempt (ms) and budget per turn (ms). */
  llmAttemptTimeoutMs: number;
  llmTurnBudgetMs: number;
  /** Prefix for BullMQ keys and pub/sub channels in Redis (lets tests share one Redis). */
  redisPrefix: string;
  /** Request limits (count per window): login per IP and per account, webhooks/web chat per tenant address. */
  rateLimits: { loginPerIp: number; loginPerAccount: number; loginWindowMs: number; webhookPerTenant: number; webhookWindowMs: number };
  /** Default inbound debounce window, ms (INBOUND_DEBOUNCE_MS, 3000); tenants.settings.debounceMs overrides. */
  inboundDebounceMs: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, fallback: number, errors: string[]): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) errors.push(`${key} must be a non-negative integer, got "${raw}"`);
  return n;
}

function url(env: Env, key: string, fallback: string | undefined, errors: string[]): string | undefined {
  const raw = env[key] || fallback;
  if (raw === undefined) return undefined;
  try {
    new URL(raw);
  } catch {
    errors.push(`${key} must be a URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * Parse an environment (default `process.env`) into a Config.
 * @param env variables to read; tests pass a plain object.
 * @throws ConfigError when any variable is malformed (all problems listed).
 */
export function loadConfig(env: Env = process.env): Config {
  const errors: string[] = [];
  const port = int(env, 'PORT', 3000, errors);
  const host = env.HOST || '0.0.0.0';
  const publicUrl = url(env, 'PUBLIC_URL', `http://localhost:${port}`, errors)!;
  const databaseUrl = url(env, 'DATABASE_URL', undefined, errors);
  const redisUrl = url(env, 'REDIS_URL', undefined, errors);
  const secretKeyGenerated = !env.SECRET_KEY;
  const secretKey = env.SECRET_KEY || randomBytes(32).toString('hex');
  if (!secretKeyGenerated && secretKey.length < 16) errors.push('SECRET_KEY must be at least 16 characters');
  const role = env.ROLE || 'all';
  if (!['all', 'gateway', 'worker'].includes(role)) errors.push(`ROLE must be all, gateway or worker, got "${role}"`);
  const activeQueues = env.ACTIVE_QUEUES
    ? env.ACTIVE_QUEUES.split(',').map((q) => q.trim()).filter(Boolean)
    : role === 'gateway'
      ? []
      : undefined;
  const cfg: Config = {
    port,
    host,
    publicUrl,
    databaseUrl,
    redisUrl,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    secretKey,
    secretKeyGenerated,
    logLevel: env.LOG_LEVEL || 'info',
    gemini: {
      apiKey: env.GEMINI_API_KEY || undefined,
      baseUrl: url(env, 'GEMINI_BASE_URL', undefined, errors),
      model: env.GEMINI_MODEL || 'gemini-2.5-flash',
    },
    groq: {
      apiKey: env.GROQ_API_KEY || undefined,
      baseUrl: url(env, 'GROQ_BASE_URL', undefined, errors),
      model: env.GROQ_MODEL || 'llama-3.3-70b-versatile',
    },
    openai: {
      apiKey: env.OPENAI_API_KEY || undefined,
      baseUrl: url(env, 'OPENAI_BASE_URL', undefined, errors),
      model: env.OPENAI_MODEL || 'gpt-4o-mini',
    },
    twilioApiBaseUrl: url(env, 'TWILIO_API_BASE_URL', 'https://api.twilio.com', errors)!,
    africastalkingApiBaseUrl: url(
      env,
      'AFRICASTALKING_API_BASE_URL',
      'https://api.africastalking.com',
      errors,
    )!,
    activeQueues,
    runGateway: role !== 'worker',
    redisPrefix: env.REDIS_PREFIX || 'aizalo',
    rateLimits: {
      loginPerIp: int(env, 'RATE_LIMIT_LOGIN_PER_IP', 60, errors),
      loginPerAccount: int(env, 'RATE_LIMIT_LOGIN_PER_ACCOUNT', 10, errors),
      loginWindowMs: int(env, 'RATE_LIMIT_LOGIN_WINDOW_MS', 15 * 60_000, errors),
      webhookPerTenant: int(env, 'RATE_LIMIT_WEBHOOK_PER_TENANT', 600, errors),
      webhookWindowMs: int(env, 'RATE_LIMIT_WEBHOOK_WINDOW_MS', 60_000, errors),
    },
    inboundDebounceMs: int(env, 'INBOUND_DEBOUNCE_MS', 3_000, errors),
    llmAttemptTimeoutMs: int(env, 'LLM_ATTEMPT_TIMEOUT_MS', 15_000, errors),
    llmTurnBudgetMs: int(env, 'LLM_TURN_BUDGET_MS', 45_000, errors),
  };
  if (errors.length) throw new ConfigError(`Invalid environment:\n  - ${errors.join('\n  - ')}`);
  return Object.freeze(cfg);
}
