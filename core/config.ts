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
  /** SMTP server for invites and password resets (SMTP_URL, e.g. smtp://user:pass@host:587); unset → mail printed to the terminal. */
  smtpUrl?: string;
  /** From address of our mail (MAIL_FROM, default `Aizalo <no-reply@HOST of PUBLIC_URL>`). */
  mailFrom: string;
  /** Queue names this process consumes; undefined = all (one-process mode). ACTIVE_QUEUES=inbound,outbound */
  activeQueues?: string[];
  /** Run the HTTP gateway in this process (ROLE=worker disables it). */
  runGateway: boolean;
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify `trustProxy`): false (default: the
   * socket address is the client), true (any), a hop count, or a comma list of addresses/CIDRs.
   * Rate limits key on the client address, so only trust proxies you run. TRUST_PROXY.
   */
  trustProxy: boolean | number | string[];
  /** LLM router: deadline per provider attempt (ms) and budget per turn (ms). */
  llmAttemptTimeoutMs: number;
  llmTurnBudgetMs: number;
  /** LLM routing policy, circuit breaker and price table (see LlmRoutingConfig). */
  llmRouting: LlmRoutingConfig;
  /** Prefix for BullMQ keys and pub/sub channels in Redis (lets tests share one Redis). */
  redisPrefix: string;
  /** Default inbound debounce window, ms (INBOUND_DEBOUNCE_MS, 3000); tenants.settings.debounceMs overrides. */
  inboundDebounceMs: number;
  /** Request limits (count per window): login per IP and per account, webhooks/web chat per tenant address. */
  rateLimits: { loginPerIp: number; loginPerAccount: number; loginWindowMs: number; webhookPerTenant: number; webhookWindowMs: number };
}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string, fallback: number, errors: string[]): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) errors.push(`${key} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** LLM router knobs (env names in brackets). Durations in ms, shares and rates in 0..1. */
export interface LlmRoutingConfig {
  /** Max share of turns routed real-time over the rolling window [LLM_REALTIME_SHARE_CAP, 0.10]. */
  realtimeShareCap: number;
  /** Rolling window of the share [LLM_REALTIME_WINDOW_MS, 60 000]. */
  realtimeWindowMs: number;
  /** Turns in the window before the cap applies [LLM_REALTIME_MIN_SAMPLE, 20]. */
  realtimeMinSample: number;
  /** A turn with an explicit latency budget below this is real-time [LLM_REALTIME_LATENCY_MS, 3000]. */
  realtimeLatencyMs: number;
  /** Upper bound on a provider's Retry-After pause [LLM_RETRY_AFTER_CAP_MS, 60 000]. */
  retryAfterCapMs: number;
  /** Consecutive failures that open a breaker [LLM_BREAKER_FAILURES, 5]. */
  breakerFailures: number;
  /** Failure rate over the window that opens it [LLM_BREAKER_FAILURE_RATE, 0.5]… */
  breakerFailureRate: number;
  /** …over this window [LLM_BREAKER_WINDOW_MS, 60 000]… */
  breakerWindowMs: number;
  /** …once it holds this many attempts [LLM_BREAKER_MIN_SAMPLES, 20]. */
  breakerMinSamples: number;
  /** Open → half-open after [LLM_BREAKER_COOLDOWN_MS, 30 000]. */
  breakerCooldownMs: number;
  /** USD micros per 1M tokens [input, output] by model; LLM_PRICES JSON merges over the defaults. */
  prices: Record<string, [number, number]>;
}

function llmRouting(env: Env, errors: string[]): LlmRoutingConfig {
  const frac = (key: string, fallback: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!(n >= 0 && n <= 1)) errors.push(`${key} must be a number between 0 and 1, got "${raw}"`);
    return n;
  };
  let prices: Record<string, [number, number]> = {};
  try {
    prices = env.LLM_PRICES ? (JSON.parse(env.LLM_PRICES) as Record<string, [number, number]>) : {};
  } catch {
    errors.push('LLM_PRICES must be JSON like {"model":[inputMicrosPer1M,outputMicrosPer1M]}');
  }
  return {
    realtimeShareCap: frac('LLM_REALTIME_SHARE_CAP', 0.1),
    realtimeWindowMs: int(env, 'LLM_REALTIME_WINDOW_MS', 60_000, errors),
    realtimeMinSample: int(env, 'LLM_REALTIME_MIN_SAMPLE', 20, errors),
    realtimeLatencyMs: int(env, 'LLM_REALTIME_LATENCY_MS', 3_000, errors),
    retryAfterCapMs: int(env, 'LLM_RETRY_AFTER_CAP_MS', 60_000, errors),
    breakerFailures: int(env, 'LLM_BREAKER_FAILURES', 5, errors),
    breakerFailureRate: frac('LLM_BREAKER_FAILURE_RATE', 0.5),
    breakerWindowMs: int(env, 'LLM_BREAKER_WINDOW_MS', 60_000, errors),
    breakerMinSamples: int(env, 'LLM_BREAKER_MIN_SAMPLES', 20, errors),
    breakerCooldownMs: int(env, 'LLM_BREAKER_COOLDOWN_MS', 30_000, errors),
    // Published list prices (USD per 1M tokens × 1e6): Gemini 2.5 Flash $0.30/$2.50,
    // Groq Llama 3.3 70B $0.59/$0.79, GPT-4o mini $0.15/$0.60.
    prices: {
      'gemini-2.5-flash': [300_000, 2_500_000],
      'llama-3.3-70b-versatile': [590_000, 790_000],
      'gpt-4o-mini': [150_000, 600_000],
      ...prices,
    },
  };
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

function hostOf(u: string): string {
  try {
    return new URL(u).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

function parseTrustProxy(raw: string | undefined): boolean | number | string[] {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
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
    smtpUrl: url(env, 'SMTP_URL', undefined, errors),
    mailFrom: env.MAIL_FROM || `Aizalo <no-reply@${hostOf(publicUrl)}>`,
    activeQueues,
    runGateway: role !== 'worker',
    redisPrefix: env.REDIS_PREFIX || 'aizalo',
    inboundDebounceMs: int(env, 'INBOUND_DEBOUNCE_MS', 3_000, errors),
    rateLimits: {
      loginPerIp: int(env, 'RATE_LIMIT_LOGIN_PER_IP', 60, errors),
      loginPerAccount: int(env, 'RATE_LIMIT_LOGIN_PER_ACCOUNT', 10, errors),
      loginWindowMs: int(env, 'RATE_LIMIT_LOGIN_WINDOW_MS', 15 * 60_000, errors),
      webhookPerTenant: int(env, 'RATE_LIMIT_WEBHOOK_PER_TENANT', 600, errors),
      webhookWindowMs: int(env, 'RATE_LIMIT_WEBHOOK_WINDOW_MS', 60_000, errors),
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    llmAttemptTimeoutMs: int(env, 'LLM_ATTEMPT_TIMEOUT_MS', 15_000, errors),
    llmTurnBudgetMs: int(env, 'LLM_TURN_BUDGET_MS', 45_000, errors),
    llmRouting: llmRouting(env, errors),
  };
  if (errors.length) throw new ConfigError(`Invalid environment:\n  - ${errors.join('\n  - ')}`);
  return Object.freeze(cfg);
}
