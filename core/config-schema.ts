/**
 * The environment as a TypeBox schema: one entry per variable with its type, range or enum,
 * default and meaning (README "Configuration" is the human-readable copy). `parseEnv` turns a
 * raw environment into typed values or a list of problems, one line per bad variable:
 *   `PORT must be an integer from 0 to 65535, got "abc"`
 * Empty strings count as unset (a blank `FOO=` line in a .env file keeps the default).
 */
import { FormatRegistry, Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { QUEUE_NAMES } from './queue.ts';

if (!FormatRegistry.Has('url'))
  FormatRegistry.Set('url', (v) => {
    try {
      new URL(v);
      return true;
    } catch {
      return false;
    }
  });

/** Extra schema keywords this module reads: the phrase after "must be", and how to pre-parse. */
interface Meta {
  expect: string;
  /** `json`: JSON.parse the string first; `list`: split on commas. */
  parse?: 'json' | 'list';
  /** Never echo the value in a problem line (keys, passwords inside URLs). */
  secret?: boolean;
}

const DAY_MS = 86_400_000;
const int = (def: number | undefined, min: number, max: number, description: string) =>
  Type.Integer({ default: def, minimum: min, maximum: max, description, expect: `an integer from ${min} to ${max}` });
const ms = (def: number, description: string) => int(def, 0, DAY_MS, `${description} (ms)`);
const count = (def: number, description: string) => int(def, 1, 1_000_000_000, description);
const fraction = (def: number, description: string) =>
  Type.Number({ default: def, minimum: 0, maximum: 1, description, expect: 'a number between 0 and 1' });
const str = (def: string | undefined, description: string) => Type.String({ default: def, minLength: 1, description, expect: 'a non-empty string' });
const url = (def: string | undefined, description: string, secret = false) =>
  Type.String({ default: def, format: 'url', description, secret, expect: 'an absolute URL (e.g. https://host:port)' });
const oneOf = <T extends string>(values: readonly T[], def: T | undefined, description: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), { default: def, description, expect: `one of ${values.join(', ')}` });

/** USD micros per 1M tokens [input, output] by model (LLM_PRICES). */
export const PricesSchema = Type.Record(Type.String({ minLength: 1 }), Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const ROLES = ['all', 'gateway', 'worker'] as const;

/** Every variable the app reads. Optional = may be unset; `default` fills it when unset. */
export const EnvSchema = Type.Object({
  PORT: int(3000, 0, 65535, 'HTTP listener port'),
  HOST: str('0.0.0.0', 'HTTP listener address'),
  PUBLIC_URL: Type.Optional(url(undefined, 'base URL the world uses; default http://localhost:$PORT')),
  DATABASE_URL: Type.Optional(url(undefined, 'PostgreSQL URL; unset → embedded PGlite', true)),
  REDIS_URL: Type.Optional(url(undefined, 'Redis URL; unset → inline queue, in-process events', true)),
  DATA_DIR: str('.data', 'PGlite files and the generated zero-setup secret'),
  SECRET_KEY: Type.Optional(Type.String({ minLength: 16, description: 'master secret', secret: true, expect: 'at least 16 characters' })),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info', 'pino level'),
  GEMINI_API_KEY: Type.Optional(str(undefined, 'Gemini API key')),
  GEMINI_BASE_URL: Type.Optional(url(undefined, 'Gemini API host')),
  GEMINI_MODEL: str('gemini-2.5-flash', 'Gemini model'),
  GROQ_API_KEY: Type.Optional(str(undefined, 'Groq API key')),
  GROQ_BASE_URL: Type.Optional(url(undefined, 'Groq API host, without /openai/v1')),
  GROQ_MODEL: str('llama-3.3-70b-versatile', 'Groq model'),
  OPENAI_API_KEY: Type.Optional(str(undefined, 'OpenAI API key')),
  OPENAI_BASE_URL: Type.Optional(url(undefined, 'OpenAI API base, including /v1')),
  OPENAI_MODEL: str('gpt-4o-mini', 'OpenAI model'),
  TWILIO_API_BASE_URL: url('https://api.twilio.com', 'Twilio REST API host'),
  AFRICASTALKING_API_BASE_URL: url('https://api.africastalking.com', "Africa's Talking API host"),
  ROLE: oneOf(ROLES, 'all', 'which parts run in this process'),
  ACTIVE_QUEUES: Type.Optional(
    Type.Array(Type.Union([...QUEUE_NAMES, 'none'].map((q) => Type.Literal(q))), {
      parse: 'list',
      expect: `a comma list of queue names (${QUEUE_NAMES.join(', ')}) or none`,
    }),
  ),
  REDIS_PREFIX: Type.String({ default: 'aizalo', pattern: '^[A-Za-z0-9_.:-]+$', expect: 'letters, digits and _ . : - only' }),
  TRUST_PROXY: Type.Optional(str(undefined, 'true, false, a hop count or a comma list of addresses/CIDRs')),
  INBOUND_DEBOUNCE_MS: ms(3_000, 'inbound debounce window'),
  SMTP_URL: Type.Optional(url(undefined, 'SMTP server for invites and password resets (smtp://user:pass@host:587); unset → mail printed to the terminal', true)),
  MAIL_FROM: Type.Optional(str(undefined, 'From address of our mail; default Aizalo <no-reply@HOST of PUBLIC_URL>')),
  INBOUND_QUIET_GAP_MS: ms(800, 'quiet gap after the latest customer message before the AI answers (capped at the window)'),
  INBOUND_CONCURRENCY: int(200, 1, 10_000, 'inbound jobs (AI turns) in flight per worker process'),
  OUTBOUND_CONCURRENCY: int(50, 1, 10_000, 'outbound sends in flight per worker process'),
  TENANT_INFLIGHT_CAP: int(20, 1, 10_000, "one tenant's inbound turns in flight at once (fairness across tenants)"),
  DATABASE_POOL_SIZE: int(40, 1, 1_000, 'PostgreSQL connections per process (callers queue when all are busy)'),
  DATABASE_POOL_WAIT_MS: ms(30_000, 'longest wait for a free PostgreSQL connection before the query fails'),
  RATE_LIMIT_LOGIN_PER_IP: count(60, 'logins per IP per window'),
  RATE_LIMIT_LOGIN_WINDOW_MS: ms(15 * 60_000, 'login rate-limit window'),
  RATE_LIMIT_WEBHOOK_PER_TENANT: count(600, 'verified webhook requests per tenant address per window'),
  RATE_LIMIT_WEBHOOK_WINDOW_MS: ms(60_000, 'webhook rate-limit window'),
  // Security (issue 14; README "Security").
  SESSION_MAX_AGE_S: int(8 * 3600, 60, 365 * 86_400, 'absolute session lifetime (s)'),
  SESSION_IDLE_TIMEOUT_S: int(2 * 3600, 0, 365 * 86_400, 'idle timeout of a session (s; 0 = none)'),
  SESSION_CACHE_MS: int(2_000, 0, 5_000, 'how long a process trusts a checked session (ms)'),
  CONSOLE_ORIGINS: Type.Optional(
    Type.Array(Type.String({ format: 'url' }), { parse: 'list', expect: 'a comma list of origins (https://host[:port])' }),
  ),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'bearer token for GET /metrics', secret: true, expect: 'at least 16 characters' })),
  RATE_LIMIT_WEBHOOK_FAILURES_PER_IP: count(30, 'unauthenticated webhook requests per address per window'),
  RATE_LIMIT_WEBCHAT_CONNECT_PER_IP: count(30, 'web-chat socket upgrades per address per minute'),
  RATE_LIMIT_WEBCHAT_MSG_PER_VISITOR: count(10, 'web-chat messages per visitor per 10 s'),
  RATE_LIMIT_WEBCHAT_MSG_PER_IP: count(30, 'web-chat messages per address per 10 s'),
  RATE_LIMIT_WEBCHAT_NEW_VISITORS_PER_TENANT: count(120, 'new web-chat visitors per tenant per minute'),
  LOGIN_FREE_FAILURES: count(5, 'failed logins of one account from one address before backoff'),
  LOGIN_BACKOFF_BASE_MS: ms(1_000, 'first login backoff, doubling per further failure'),
  LOGIN_BACKOFF_MAX_MS: ms(15 * 60_000, 'login backoff ceiling'),
  LOGIN_NOTIFY_FAILURES: count(10, 'failed logins on one account per window that alert its owner'),
  RATE_LIMIT_PASSWORD_CHANGE: count(5, 'password-change attempts per user per login window'),
  RATE_LIMIT_PASSWORD_RESET: count(5, 'password-reset requests per account per login window'),
  LLM_ATTEMPT_TIMEOUT_MS: ms(15_000, 'deadline per provider attempt'),
  LLM_TURN_BUDGET_MS: ms(45_000, 'budget per turn'),
  LLM_REALTIME_SHARE_CAP: fraction(0.1, 'max real-time share of turns'),
  LLM_REALTIME_WINDOW_MS: ms(60_000, 'rolling window of the real-time share'),
  LLM_REALTIME_MIN_SAMPLE: int(20, 0, 1_000_000, 'turns in the window before the cap applies'),
  LLM_REALTIME_LATENCY_MS: ms(3_000, 'latency budget below which a turn is real-time'),
  LLM_RETRY_AFTER_CAP_MS: ms(60_000, "cap on a provider's Retry-After pause"),
  LLM_BREAKER_FAILURES: int(5, 1, 1_000_000, 'consecutive failures that open a breaker'),
  LLM_BREAKER_FAILURE_RATE: fraction(0.5, 'failure rate that opens a breaker'),
  LLM_BREAKER_WINDOW_MS: ms(60_000, 'breaker failure-rate window'),
  LLM_BREAKER_MIN_SAMPLES: int(20, 0, 1_000_000, 'attempts in the window before the rate applies'),
  LLM_BREAKER_COOLDOWN_MS: ms(30_000, 'open → half-open after'),
  LLM_PRICES: Type.Optional(
    Type.Unsafe<Record<string, [number, number]>>({
      ...PricesSchema,
      parse: 'json',
      expect: 'JSON like {"model":[inputMicrosUSDPer1M,outputMicrosUSDPer1M]} with non-negative integers',
    }),
  ),
});

export type Env = Record<string, string | undefined>;
export type ParsedEnv = typeof EnvSchema.static;

/** Pre-parse one raw string per the schema's `parse` keyword; undefined = not parseable. */
function preparse(schema: TSchema & Partial<Meta>, raw: string): { ok: true; value: unknown } | { ok: false } {
  if (schema.parse === 'list') return { ok: true, value: raw.split(',').map((s) => s.trim()).filter(Boolean) };
  // Numbers by hand: TypeBox's Convert would truncate "3000.5" to an integer without a word.
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(raw.trim())) return { ok: true, value: Number(raw) };
  if (schema.parse === 'json') {
    try {
      return { ok: true, value: JSON.parse(raw) };
    } catch {
      return { ok: false };
    }
  }
  return { ok: true, value: raw };
}

/**
 * Parse `env` against EnvSchema.
 * @returns the typed values (defaults filled) and one problem line per invalid variable, in
 *   schema order; values are only meaningful when `problems` is empty.
 */
export function parseEnv(env: Env): { values: ParsedEnv; problems: string[] } {
  const problems: string[] = [];
  const input: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(EnvSchema.properties) as [string, TSchema & Partial<Meta>][]) {
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    const got = schema.secret ? '' : `, got ${JSON.stringify(raw)}`;
    const pre = preparse(schema, raw);
    if (!pre.ok) {
      problems.push(`${key} must be ${schema.expect}${got} (not valid JSON)`);
      continue;
    }
    const value = pre.value;
    if (Value.Check(schema, value)) {
      input[key] = value;
      continue;
    }
    const first = Value.Errors(schema, value).First();
    // Name the offending item of a list or JSON value, not just the variable.
    const where = first && first.path && !schema.secret ? ` (at ${first.path}: ${JSON.stringify(first.value)})` : '';
    problems.push(`${key} must be ${schema.expect ?? 'valid'}${got}${where}`);
  }
  return { values: Value.Default(EnvSchema, input) as ParsedEnv, problems };
}
