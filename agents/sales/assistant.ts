/**
 * The sales assistant on the platform's own number (the `sales_inbound` job's service). A message
 * from a registered sales rep's phone is a command (`/onboard …`, see commands.ts) or free text
 * that the model turns into the same tool calls; anyone else gets a polite refusal and nothing
 * else happens. The reply is stored in `platform_messages` and sent through the channel's
 * provider REST API. Idempotent under redelivery: an answered message only re-sends an unsent reply.
 */
import type { Logger } from '../../core/logger.ts';
import type { SecretBox } from '../../core/crypto.ts';
import { channelCredentials } from '../../core/services/channels.ts';
import { loadPlatformTurn, markPlatformMessage, storePlatformReply } from '../../core/services/billing/platform-messages.ts';
import type { ChannelSender } from '../../gateway/channels/sender.ts';
import type { LlmRouter } from '../llm/router.ts';
import { HELP, parseCommand } from './commands.ts';
import { commandFromTool, runSalesCommand, SALES_TOOLS, type SalesToolDeps } from './tools.ts';

export interface SalesAssistantDeps extends SalesToolDeps {
  router: LlmRouter;
  box: SecretBox;
  log: Logger;
  senders: Partial<Record<string, ChannelSender>>;
}

export const REFUSAL =
  "Hello! This number is for Aizalo's sales team only, and your number isn't registered with us. If you'd like Aizalo for your business, please reply with your business name and we'll have someone reach out. Thank you!";

const SYSTEM = `You are the assistant of Aizalo's sales reps. Reps message you from their phones in English, Swahili or Sheng.
Turn each message into exactly one tool call when it asks for something a tool does. When details are missing for onboarding, do not guess: answer briefly with what is missing. Otherwise answer in one or two short sentences.`;

/** Decide the reply text for one inbound message (no sending). */
export async function salesReply(deps: SalesAssistantDeps, repId: string | null, text: string): Promise<string> {
  if (!repId) return REFUSAL;
  const parsed = parseCommand(text);
  if (parsed && 'usage' in parsed) return parsed.usage;
  if (parsed) return runSalesCommand(deps, repId, parsed);
  const result = await deps.router.generate(
    { system: SYSTEM, messages: [{ role: 'user', content: text }], tools: SALES_TOOLS, maxTokens: 300 },
    { tenantId: '', class: 'standard' },
  );
  const call = result.toolCalls[0];
  const cmd = call && commandFromTool(call.name, call.args);
  if (cmd) return runSalesCommand(deps, repId, cmd);
  if (result.offline || !result.text.trim()) return `Sorry, I didn't get that.\n${HELP}`;
  return result.text.trim();
}

/** Answer platform message `messageId` and send the reply. @throws SendError to retry delivery. */
export async function answerSalesMessage(deps: SalesAssistantDeps, messageId: string, signal?: AbortSignal): Promise<void> {
  const turn = await loadPlatformTurn(deps.db, messageId);
  if (!turn || turn.message.direction !== 'inbound') return;
  let reply = turn.reply;
  if (!reply) {
    const text = await salesReply(deps, turn.message.repId, turn.message.text);
    reply = await storePlatformReply(deps.db, turn.message, text.slice(0, 1500));
  }
  if (reply.status === 'sent') return;
  const sender = deps.senders[turn.channel.provider];
  if (!sender) {
    deps.log.error({ provider: turn.channel.provider }, 'no sender for the platform channel');
    return;
  }
  const res = await sender.send(
    {
      tenantId: '',
      channel: turn.channel,
      credentials: channelCredentials(deps.box, turn.channel) as unknown as Record<string, string>,
      to: turn.message.phone,
      text: reply.text,
      messageId: reply.id,
      conversationId: '',
      author: 'system',
    },
    signal,
  );
  await markPlatformMessage(deps.db, reply.id, 'sent', res.externalId);
}
