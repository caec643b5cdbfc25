/**
 * Composition root: builds every shared service once from a Config and wires gateway, workers
 * and agents together. Used by `aizalo start`, the CLI commands and the integration tests.
 *
 * Zero setup (no DATABASE_URL / REDIS_URL): PGlite under DATA_DIR, inline queue, in-process
 * event bus, and a SECRET_KEY generated once and kept in DATA_DIR/secret-key.
 * Production: PostgreSQL, BullMQ + Redis pub/sub; SECRET_KEY is required.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from '../core/config.ts';
import { SecretBox, randomToken } from '../core/crypto.ts';
import { openDatabase, serviceHandle, type OwnerDatabase } from '../core/db/client.ts';
import { migrate } from '../core/db/migrate.ts';
import { createMemoryBus, createRedisBus, type EventBus } from '../core/events.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { createMailer, type Mailer } from '../core/mail.ts';
import { recordUsage } from '../core/services/usage/ai-usage.ts';
import { failStaleSending, findPendingWork } from '../core/services/conversations/recovery.ts';
import { recoverPlatformReplies } from '../core/services/platform/platform-messages.ts';
import { PROMPT_VARS } from '../agents/agent.ts';
import { createProviders } from '../agents/llm/providers.ts';
import { createRouter, type LlmRouter } from '../agents/llm/router.ts';
import { createRouterSupport } from '../agents/llm/router-setup.ts';
import type { LlmProvider, ProviderName } from '../agents/llm/types.ts';
import { loadPrompts, type PromptLibrary } from '../agents/prompts.ts';
import { createEmbedder } from '../agents/memory/embedder.ts';
import { createAgentConsole } from '../agents/console.ts';
import { buildApp } from '../gateway/app.ts';
import type { ChannelSender } from '../core/channel-sender.ts';
import { createAfricasTalkingSender } from '../gateway/channels/sms/africastalking-sender.ts';
import { createTwilioSender } from '../gateway/channels/sms/twilio-sender.ts';
import { createWebchatSender } from '../gateway/channels/webchat/webchat-sender.ts';
import { createBullmqDriver } from '../workers/drivers/bullmq-driver.ts';
import type { QueueDriver } from '../workers/drivers/driver.ts';
import { createInlineDriver } from '../workers/drivers/inline-driver.ts';
import { buildHandlers } from '../workers/handlers.ts';
import { startBillingSchedule } from '../workers/billing-schedule.ts';
import { handlePlatformInbound } from '../gateway/channels/platform-inbound.ts';
import { createRuntimeWhatsApp, type WhatsAppRuntimeOptions, type WhatsAppManager } from '../gateway/channels/whatsapp/runtime-wiring.ts';
import { createWhatsAppOutboundRoute } from '../gateway/channels/whatsapp/outbound-route.ts';

export interface Runtime {
  cfg: Config;
  log: Logger;
  /** The owner-role handle (migrations, tests, CLI setup); services get `serviceHandle(db)`. */
  db: OwnerDatabase;
  queue: QueueDriver;
  bus: EventBus;
  box: SecretBox;
  router: LlmRouter;
  prompts: PromptLibrary;
  providers: Partial<Record<ProviderName, LlmProvider>>;
  senders: Record<string, ChannelSender>;
  /** Invites and password resets by email (printed to the terminal without SMTP_URL). */
  mailer: Mailer;
  /** WhatsApp (Baileys) connection manager; present when this process runs the gateway. */
  whatsapp?: WhatsAppManager;
  app?: FastifyInstance;
  /** Start consuming queues and (if cfg.runGateway) listen; resolves with the base URL. */
  start(opts?: { listen?: boolean }): Promise<string | undefined>;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger;
  /** Skip migrations (CLI commands that must not change the schema). */
  skipMigrate?: boolean;
  /** Build the HTTP app even when cfg.runGateway is false (never listens then). */
  withApp?: boolean;
  /** WhatsApp manager overrides (tests inject a fake socket factory here). */
  whatsapp?: WhatsAppRuntimeOptions;
}

/**
 * Re-enqueue unfinished messages (see core/services/conversations/recovery.ts), at start and every
 * RECOVERY_SWEEP_MS. The inline queue forgets everything on restart, so at start all of it;
 * otherwise only what is older than a minute (younger work is most likely in flight).
 */
const RECOVERY_SWEEP_MS = 5 * 60_000;
async function recoverPendingWork(rt: Pick<Runtime, 'db' | 'queue' | 'log'>, atStart: boolean): Promise<void> {
  const settled = await failStaleSending(rt.db);
  if (settled) rt.log.warn({ settled }, 'outbound messages interrupted mid-send marked failed');
  const pending = await findPendingWork(rt.db, atStart && rt.queue.kind === 'inline' ? 0 : 60_000);
  // At start the message id (the original job is gone); in later sweeps an id per sweep, since
  // BullMQ keeps a completed job's id for a day and would ignore the re-add. Duplicates are
  // harmless: storeAiReply answers an inbound once and only a `queued` outbound can be claimed.
  const id = (messageId: string) => (atStart ? messageId : `${messageId}-sweep-${Math.floor(Date.now() / RECOVERY_SWEEP_MS)}`);
  for (const p of pending.inbound) await rt.queue.enqueue('inbound', p, { jobId: id(p.messageId) });
  for (const p of pending.outbound) await rt.queue.enqueue('outbound', p, { jobId: id(p.messageId) });
  // Sales-assistant replies on the platform number whose outbound job was lost.
  for (const replyId of await recoverPlatformReplies(rt.db, atStart && rt.queue.kind === 'inline' ? 0 : 60_000))
    await rt.queue.enqueue('outbound', { platformMessageId: replyId }, { jobId: id(replyId) });
  if (pending.inbound.length || pending.outbound.length)
    rt.log.info({ inbound: pending.inbound.length, outbound: pending.outbound.length }, 'recovered unfinished messages');
}

/** SECRET_KEY: required in production, generated once and persisted in zero-setup mode. */
function resolveSecret(cfg: Config): Config {
  if (!cfg.secretKeyGenerated) return cfg;
  if (cfg.databaseUrl) throw new ConfigError('SECRET_KEY is required when DATABASE_URL is set (it encrypts channel credentials)');
  mkdirSync(cfg.dataDir, { recursive: true });
  const file = path.join(cfg.dataDir, 'secret-key');
  if (!existsSync(file)) writeFileSync(file, randomToken(), { mode: 0o600 });
  return Object.freeze({ ...cfg, secretKey: readFileSync(file, 'utf8').trim() });
}

export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const cfg = resolveSecret(config);
  const log = opts.logger ?? createLogger(cfg.logLevel);
  const owner = await openDatabase({
    databaseUrl: cfg.databaseUrl,
    dataDir: cfg.dataDir,
    poolSize: cfg.throughput.dbPoolSize,
    poolWaitMs: cfg.throughput.dbPoolWaitMs,
    onIdleError: (err) => log.warn({ err }, 'idle database connection lost; the pool reconnects'),
  });
  if (!opts.skipMigrate) {
    const applied = await migrate(owner);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  // Everything below the composition root sees only withTenant / withPlatform.
  const db = serviceHandle(owner);
  const t = cfg.throughput;
  const driverOpts = { concurrency: { inbound: t.inboundConcurrency, outbound: t.outboundConcurrency }, tenantCap: t.tenantInflightCap };
  const queue = cfg.redisUrl ? createBullmqDriver(cfg.redisUrl, cfg.redisPrefix, log, driverOpts) : createInlineDriver(log, driverOpts);
  const bus = cfg.redisUrl ? createRedisBus(cfg.redisUrl, cfg.redisPrefix) : createMemoryBus();
  const box = new SecretBox(cfg.secretKey, 'channel-credentials');
  const mailer = createMailer(cfg, log);
  const providers = createProviders(cfg);
  const llm = createRouterSupport(cfg, log);
  const router = createRouter({
    providers,
    ...llm.options,
    onAttempt: (rec, meta) =>
      recordUsage(db, {
        tenantId: meta.tenantId,
        conversationId: meta.conversationId,
        provider: rec.provider,
        model: rec.model,
        class: rec.class,
        inputTokens: rec.inputTokens,
        outputTokens: rec.outputTokens,
        latencyMs: rec.latencyMs,
        outcome: rec.outcome,
        fallbackDepth: rec.fallbackDepth,
        costUsdMicros: rec.costUsdMicros ?? 0,
      }),
  });
  const prompts = loadPrompts(PROMPT_VARS);
  const senders: Record<string, ChannelSender> = {
    twilio: createTwilioSender(cfg.twilioApiBaseUrl),
    africastalking: createAfricasTalkingSender(cfg.africastalkingApiBaseUrl),
    webchat: createWebchatSender(bus),
  };
  // Several processes (BullMQ): WhatsApp sends are routed to the process holding the channel's
  // socket lease (routed queue whatsapp_outbound); zero setup sends through the local socket.
  const waOutbound = queue.kind === 'bullmq' ? createWhatsAppOutboundRoute({ db, queue }) : undefined;
  const whatsapp = cfg.runGateway ? createRuntimeWhatsApp(
        { cfg, db, queue, bus, log },
        // Messages to the platform's own WhatsApp number go to the sales assistant (sales_inbound).
        { onPlatformInbound: async (m) => void (await handlePlatformInbound({ db, queue }, { channelId: m.channelId, from: m.from, externalId: m.externalId, text: m.text })), outboundRoute: waOutbound, ...opts.whatsapp },
      ) : undefined;
  if (whatsapp) senders.baileys = whatsapp.sender;
  const agentConsole = createAgentConsole({ db, queue, router, prompts, embedder: createEmbedder(cfg), log });
  const app = cfg.runGateway || opts.withApp ? await buildApp({ cfg, db, queue, bus, box, log, whatsapp, agentConsole, mailer }) : undefined;
  let started = false;
  let sweepTimer: NodeJS.Timeout | undefined;
  let stopBilling: (() => Promise<void>) | undefined;
  const rt: Runtime = {
    cfg,
    log,
    db: owner,
    queue,
    bus,
    box,
    router,
    prompts,
    providers,
    senders,
    mailer,
    whatsapp,
    app,
    async start({ listen = true } = {}) {
      started = true;
      await queue.start(buildHandlers({ db, queue, bus, box, log, router, prompts, senders, embedder: createEmbedder(cfg), debounceMs: cfg.inboundDebounceMs, quietGapMs: cfg.inboundQuietGapMs, secretKey: cfg.secretKey, publicUrl: cfg.publicUrl, route: waOutbound?.route, mailer }), cfg.activeQueues);
      if (!cfg.activeQueues || cfg.activeQueues.includes('inbound')) {
        await recoverPendingWork(rt, true);
        sweepTimer = setInterval(
          () => void recoverPendingWork(rt, false).catch((err) => log.error({ err }, 'recovery sweep failed')),
          RECOVERY_SWEEP_MS,
        );
        sweepTimer.unref();
      }
      if (!cfg.activeQueues || cfg.activeQueues.includes('billing_tick'))
        stopBilling = await startBillingSchedule({ queue });
      await whatsapp?.start();
      if (app && listen && cfg.runGateway) return app.listen({ port: cfg.port, host: cfg.host });
      return undefined;
    },
    async stop() {
      // Graceful order: stop taking requests, let workers finish, then release pools.
      clearInterval(sweepTimer);
      if (app) await app.close();
      await whatsapp?.stop();
      await stopBilling?.();
      if (started || cfg.redisUrl) await queue.close();
      await bus.close();
      await llm.close();
      mailer.close();
      await owner.close();
    },
  };
  return rt;
}
