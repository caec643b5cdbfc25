/**
 * Environment, parsed once at boot into a typed, frozen object.
 *
 * Nothing else in the code base reads `process.env`: callers receive a `Config`
 * (usually through `loadConfig()` at the process edge, or a test building one
 * with `loadConfig({ ...overrides })`). Behaviour never branches on NODE_ENV.
 *
 * The variables, their types, ranges and defaults are a TypeBox schema (core/config-schema.ts);
 * this module maps the parsed values onto the shape the code uses.
 * Errors: throws `ConfigError` listing every invalid variable at once, one line each.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseEnv, type Env } from './config-schema.ts';
import type { QueueName } from './queue.ts';

/** Invalid environment. `problems`: one line per bad variable ("PORT must be …, got "abc""). */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
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
  /** Queue names this process consumes; undefined = all (one-process mode). ACTIVE_QUEUES=inbound,outbound (`none` = []). */
  activeQueues?: QueueName[];
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
  /** Quiet gap after a customer's latest message before the AI answers, ms (INBOUND_QUIET_GAP_MS, 800); tenants.settings.quietGapMs overrides; capped at the window. */
  inboundQuietGapMs: number;
  /**
   * Throughput knobs (README "Throughput"): jobs in flight per worker process for `inbound`
   * (INBOUND_CONCURRENCY, 200) and `outbound` (OUTBOUND_CONCURRENCY, 50), one tenant's inbound
   * turns in flight per process (TENANT_INFLIGHT_CAP, 20), PostgreSQL pool size
   * (DATABASE_POOL_SIZE, 40) and the longest wait for a free connection (DATABASE_POOL_WAIT_MS,
   * 30 000).
   */
  throughput: { inboundConcurrency: number; outboundConcurrency: number; tenantInflightCap: number; dbPoolSize: number; dbPoolWaitMs: number };
  /**
   * Request limits (count per window): login attempts per client address (per account and address:
   * security.login*), webhooks per verified tenant address.
   */
  rateLimits: { loginPerIp: number; loginWindowMs: number; webhookPerTenant: number; webhookWindowMs: number };
  /** Security controls (issue 14); see SECURITY.md and the README's "Security" section. */
  security: SecurityConfig;
}

/** Security knobs (env names in brackets; schema in core/config-schema.ts). */
export interface SecurityConfig {
  /** Absolute session lifetime, s [SESSION_MAX_AGE_S, 28 800 = 8 h]. */
  sessionMaxAgeS: number;
  /** A session unused for this long ends, s; 0 = no idle timeout [SESSION_IDLE_TIMEOUT_S, 7 200 = 2 h]. */
  sessionIdleS: number;
  /** How long one process trusts a checked session, ms [SESSION_CACHE_MS, 2 000; at most 5 000]. */
  sessionCacheMs: number;
  /** Extra origins allowed to call state-changing /api routes [CONSOLE_ORIGINS, comma list]. */
  consoleOrigins: string[];
  /** Bearer token required by GET /metrics when set [METRICS_TOKEN]. */
  metricsToken?: string;
  /** Unauthenticated webhook failures per client address per window [RATE_LIMIT_WEBHOOK_FAILURES_PER_IP, 30]. */
  webhookFailuresPerIp: number;
  /** Web-chat socket upgrades per client address per minute [RATE_LIMIT_WEBCHAT_CONNECT_PER_IP, 30]. */
  webchatConnectPerIp: number;
  /** Web-chat messages per visitor (all its sockets) per 10 s [RATE_LIMIT_WEBCHAT_MSG_PER_VISITOR, 10]. */
  webchatMsgPerVisitor: number;
  /** Web-chat messages per client address per 10 s [RATE_LIMIT_WEBCHAT_MSG_PER_IP, 30]. */
  webchatMsgPerIp: number;
  /** New web-chat visitors per tenant per minute [RATE_LIMIT_WEBCHAT_NEW_VISITORS_PER_TENANT, 120]. */
  webchatNewVisitorsPerTenant: number;
  /** Failed logins on one account from one address before backoff starts [LOGIN_FREE_FAILURES, 5]. */
  loginFreeFailures: number;
  /** First backoff after the free failures, ms, doubling per further failure [LOGIN_BACKOFF_BASE_MS, 1 000]. */
  loginBackoffBaseMs: number;
  /** Backoff ceiling, ms [LOGIN_BACKOFF_MAX_MS, 900 000 = 15 min]. */
  loginBackoffMaxMs: number;
  /** Failures on one account (from anywhere) per login window that alert its owner [LOGIN_NOTIFY_FAILURES, 10]. */
  loginNotifyFailures: number;
  /** POST /api/auth/password attempts per user per login window [RATE_LIMIT_PASSWORD_CHANGE, 5]. */
  passwordChangePerUser: number;
  /** Password-reset requests per account (×4 per address) per login window [RATE_LIMIT_PASSWORD_RESET, 5]. */
  passwordResetPerKey: number;
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

/** Published list prices (USD per 1M tokens × 1e6): Gemini 2.5 Flash $0.30/$2.50, Groq Llama 3.3 70B $0.59/$0.79, GPT-4o mini $0.15/$0.60. */
const DEFAULT_PRICES: Record<string, [number, number]> = {
  'gemini-2.5-flash': [300_000, 2_500_000],
  'llama-3.3-70b-versatile': [590_000, 790_000],
  'gpt-4o-mini': [150_000, 600_000],
};

function parseTrustProxy(raw: string | undefined): boolean | number | string[] {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

const noSlash = (u: string) => u.replace(/\/+$/, '');
const opt = (u: string | undefined) => (u === undefined ? undefined : noSlash(u));

/**
 * Parse an environment (default `process.env`) into a Config.
 * @param env variables to read; tests pass a plain object.
 * @throws ConfigError when any variable is malformed (all problems listed, one line each).
 */
export function loadConfig(env: Env = process.env): Config {
  const { values: e, problems } = parseEnv(env);
  if (problems.length) throw new ConfigError(`Invalid environment:\n  - ${problems.join('\n  - ')}`, problems);
  const secretKeyGenerated = !e.SECRET_KEY;
  const queues = e.ACTIVE_QUEUES?.filter((q): q is QueueName => q !== 'none');
  const cfg: Config = {
    port: e.PORT,
    host: e.HOST,
    publicUrl: noSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`),
    databaseUrl: opt(e.DATABASE_URL),
    redisUrl: opt(e.REDIS_URL),
    dataDir: path.resolve(e.DATA_DIR),
    secretKey: e.SECRET_KEY ?? randomBytes(32).toString('hex'),
    secretKeyGenerated,
    logLevel: e.LOG_LEVEL,
    gemini: { apiKey: e.GEMINI_API_KEY, baseUrl: opt(e.GEMINI_BASE_URL), model: e.GEMINI_MODEL },
    groq: { apiKey: e.GROQ_API_KEY, baseUrl: opt(e.GROQ_BASE_URL), model: e.GROQ_MODEL },
    openai: { apiKey: e.OPENAI_API_KEY, baseUrl: opt(e.OPENAI_BASE_URL), model: e.OPENAI_MODEL },
    twilioApiBaseUrl: noSlash(e.TWILIO_API_BASE_URL),
    africastalkingApiBaseUrl: noSlash(e.AFRICASTALKING_API_BASE_URL),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `Aizalo <no-reply@${new URL(e.PUBLIC_URL ?? 'http://localhost').hostname || 'localhost'}>`,
    // A gateway-only process consumes nothing unless told otherwise.
    activeQueues: queues ?? (e.ROLE === 'gateway' ? [] : undefined),
    runGateway: e.ROLE !== 'worker',
    redisPrefix: e.REDIS_PREFIX,
    inboundDebounceMs: e.INBOUND_DEBOUNCE_MS,
    inboundQuietGapMs: e.INBOUND_QUIET_GAP_MS,
    throughput: {
      inboundConcurrency: e.INBOUND_CONCURRENCY,
      outboundConcurrency: e.OUTBOUND_CONCURRENCY,
      tenantInflightCap: e.TENANT_INFLIGHT_CAP,
      dbPoolSize: e.DATABASE_POOL_SIZE,
      dbPoolWaitMs: e.DATABASE_POOL_WAIT_MS,
    },
    rateLimits: {
      loginPerIp: e.RATE_LIMIT_LOGIN_PER_IP,
      loginWindowMs: e.RATE_LIMIT_LOGIN_WINDOW_MS,
      webhookPerTenant: e.RATE_LIMIT_WEBHOOK_PER_TENANT,
      webhookWindowMs: e.RATE_LIMIT_WEBHOOK_WINDOW_MS,
    },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    security: {
      sessionMaxAgeS: e.SESSION_MAX_AGE_S,
      sessionIdleS: e.SESSION_IDLE_TIMEOUT_S,
      sessionCacheMs: e.SESSION_CACHE_MS,
      consoleOrigins: (e.CONSOLE_ORIGINS ?? []).map((o) => new URL(o).origin),
      metricsToken: e.METRICS_TOKEN,
      webhookFailuresPerIp: e.RATE_LIMIT_WEBHOOK_FAILURES_PER_IP,
      webchatConnectPerIp: e.RATE_LIMIT_WEBCHAT_CONNECT_PER_IP,
      webchatMsgPerVisitor: e.RATE_LIMIT_WEBCHAT_MSG_PER_VISITOR,
      webchatMsgPerIp: e.RATE_LIMIT_WEBCHAT_MSG_PER_IP,
      webchatNewVisitorsPerTenant: e.RATE_LIMIT_WEBCHAT_NEW_VISITORS_PER_TENANT,
      loginFreeFailures: e.LOGIN_FREE_FAILURES,
      loginBackoffBaseMs: e.LOGIN_BACKOFF_BASE_MS,
      loginBackoffMaxMs: e.LOGIN_BACKOFF_MAX_MS,
      loginNotifyFailures: e.LOGIN_NOTIFY_FAILURES,
      passwordChangePerUser: e.RATE_LIMIT_PASSWORD_CHANGE,
      passwordResetPerKey: e.RATE_LIMIT_PASSWORD_RESET,
    },
    llmAttemptTimeoutMs: e.LLM_ATTEMPT_TIMEOUT_MS,
    llmTurnBudgetMs: e.LLM_TURN_BUDGET_MS,
    llmRouting: {
      realtimeShareCap: e.LLM_REALTIME_SHARE_CAP,
      realtimeWindowMs: e.LLM_REALTIME_WINDOW_MS,
      realtimeMinSample: e.LLM_REALTIME_MIN_SAMPLE,
      realtimeLatencyMs: e.LLM_REALTIME_LATENCY_MS,
      retryAfterCapMs: e.LLM_RETRY_AFTER_CAP_MS,
      breakerFailures: e.LLM_BREAKER_FAILURES,
      breakerFailureRate: e.LLM_BREAKER_FAILURE_RATE,
      breakerWindowMs: e.LLM_BREAKER_WINDOW_MS,
      breakerMinSamples: e.LLM_BREAKER_MIN_SAMPLES,
      breakerCooldownMs: e.LLM_BREAKER_COOLDOWN_MS,
      prices: { ...DEFAULT_PRICES, ...e.LLM_PRICES },
    },
  };
  return Object.freeze(cfg);
}
