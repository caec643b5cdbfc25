/**
 * The sales assistant on the platform's own number (the `sales_inbound` job's service). A message
 * from a registered sales rep's phone is a command (`/onboard …`, see commands.ts) or free text
 * that the model turns into the same tool calls; anyone else gets a polite refusal (at most one per
 * number per 24 h, so the number cannot be used to pump SMS) and nothing else happens. A command's
 * effects and its reply are stored in one transaction keyed by the inbound message, then the reply
 * goes out through the `outbound` queue like every other reply (claim, pacing, retries, metrics:
 * workers/delivery.ts), jobId = the reply's id. Idempotent under redelivery, retries and
 * concurrent runs: an answered message only re-enqueues its stored, unsent reply, and the
 * delivery's claim sends it at most once.
 */
import type { Logger } from '../../core/logger.ts';
import type { JobQueue } from '../../core/queue.ts';
import { inTransaction } from '../../core/db/in-transaction.ts';
import {
  insertPlatformReply,
  loadPlatformTurn,
  lockPlatformTurn,
  markInboundProcessed,
  mayRefuse,
  type PlatformMessageRow,
} from '../../core/services/platform/platform-messages.ts';
import type { LlmRouter } from '../llm/router.ts';
import { HELP, parseCommand, type SalesCommand } from './commands.ts';
import { commandFromTool, runSalesCommand, SALES_TOOLS, type SalesToolDeps } from './tools.ts';

export interface SalesAssistantDeps extends SalesToolDeps {
  router: LlmRouter;
  log: Logger;
  /** Where the reply is enqueued (`outbound`, payload {platformMessageId}). */
  queue: JobQueue;
}

export const REFUSAL =
  "Hello! This number is for Aizalo's sales team only, and your number isn't registered with us. If you'd like Aizalo for your business, please reply with your business name and we'll have someone reach out. Thank you!";

const SYSTEM = `You are the assistant of Aizalo's sales reps. Reps message you from their phones in English, Swahili or Sheng.
Turn each message into exactly one tool call when it asks for something a tool does. When details are missing for onboarding, do not guess: answer briefly with what is missing. Otherwise answer in one or two short sentences.`;

/** What one inbound asks for: a refusal (unknown number), a fixed text, or a command to run. */
type Plan = { kind: 'refuse' } | { kind: 'text'; text: string } | { kind: 'command'; cmd: SalesCommand };

/** Decide what to do with one inbound message; no effects (the model may be asked for free text). */
async function planReply(deps: SalesAssistantDeps, repId: string | null, text: string): Promise<Plan> {
  if (!repId) return { kind: 'refuse' };
  const parsed = parseCommand(text);
  if (parsed && 'usage' in parsed) return { kind: 'text', text: parsed.usage };
  if (parsed) return { kind: 'command', cmd: parsed };
  const result = await deps.router.generate(
    { system: SYSTEM, messages: [{ role: 'user', content: text }], tools: SALES_TOOLS, maxTokens: 300 },
    { tenantId: '', class: 'standard' },
  );
  const call = result.toolCalls[0];
  const cmd = call && commandFromTool(call.name, call.args);
  if (cmd) return { kind: 'command', cmd };
  if (result.offline || !result.text.trim()) return { kind: 'text', text: `Sorry, I didn't get that.\n${HELP}` };
  return { kind: 'text', text: result.text.trim() };
}

/**
 * Store the reply to `inbound` — and run its command — in one transaction keyed by the inbound
 * (locked, at most one reply): a retry or a concurrent run gets the stored reply and changes
 * nothing. @returns the reply row, or undefined when an unknown number was refused recently.
 */
async function answerOnce(deps: SalesAssistantDeps, inbound: PlatformMessageRow, plan: Plan): Promise<PlatformMessageRow | undefined> {
  return deps.db.withPlatform(async (tx) => {
    const existing = await lockPlatformTurn(tx, inbound.id);
    if (existing) return existing;
    let text: string;
    if (plan.kind === 'refuse') {
      if (!(await mayRefuse(tx, inbound.phone))) {
        await markInboundProcessed(tx, inbound.id);
        return undefined;
      }
      text = REFUSAL;
    } else if (plan.kind === 'command') {
      text = await runSalesCommand({ ...deps, db: inTransaction(deps.db, tx) }, inbound.repId!, plan.cmd);
    } else text = plan.text;
    return insertPlatformReply(tx, inbound, text.slice(0, 1500));
  });
}

/**
 * Answer platform message `messageId` and enqueue the reply's delivery.
 * @throws when the answer cannot be stored (the job retries; nothing half-written).
 */
export async function answerSalesMessage(deps: SalesAssistantDeps, messageId: string): Promise<void> {
  const turn = await loadPlatformTurn(deps.db, messageId);
  if (!turn || turn.message.direction !== 'inbound') return;
  let reply = turn.reply;
  if (!reply) {
    if (turn.message.status === 'processed') return; // answered without a reply (refusal limit)
    reply = await answerOnce(deps, turn.message, await planReply(deps, turn.message.repId, turn.message.text));
    if (!reply) return;
  }
  // `received` = stored, not claimed by a delivery yet (sent, failed or in flight: nothing to do).
  if (reply.status !== 'received') return;
  await deps.queue.enqueue('outbound', { platformMessageId: reply.id }, { jobId: reply.id });
}
