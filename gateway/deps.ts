/** What the HTTP gateway needs from the runtime (built once in bin/runtime.ts). */
import type { Config } from '../core/config.ts';
import type { SecretBox } from '../core/crypto.ts';
import type { Database } from '../core/db/client.ts';
import type { EventBus } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import type { JobQueue } from '../core/queue.ts';
import type { WhatsAppManager } from './channels/whatsapp/manager.ts';
import type { AgentConsole } from '../core/services/setup/agent-console.ts';

export interface GatewayDeps {
  cfg: Config;
  db: Database;
  /** Producer side only: the gateway enqueues, workers consume. */
  queue: JobQueue & { counts?(): Promise<Record<string, number>> };
  bus: EventBus;
  box: SecretBox;
  log: Logger;
  /** The WhatsApp (Baileys) manager when this process runs one (link state, pairing codes). */
  whatsapp?: WhatsAppManager;
  /** The agent's knowledge search and playground for the console (agents/console.ts, wired by bin/runtime.ts). */
  agentConsole?: AgentConsole;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: GatewayDeps;
  }
}
