/**
 * Web chat out: publish the message on the visitor's topic `webchat:<tenant>:<handle>` (every
 * gateway process holding that visitor's live socket forwards it) and on `conversation:<id>`. The message stays in the database, so
 * a visitor who reconnects later gets it from history.
 */
import type { ChatMessageEvent, EventBus } from '../../../core/events.ts';
import type { ChannelSender } from '../../../core/channel-sender.ts';

export function createWebchatSender(bus: EventBus): ChannelSender {
  return {
    async send(msg) {
      const event: ChatMessageEvent = {
        type: 'message',
        id: msg.messageId,
        // The contract's roles are customer | agent; who wrote it travels as `author`.
        role: 'agent',
        author: msg.author,
        text: msg.text,
        at: new Date().toISOString(),
      };
      // The visitor's sockets listen on their own topic; staff views on the conversation's.
      await bus.publish(`webchat:${msg.tenantId}:${msg.to}`, event);
      await bus.publish(`conversation:${msg.conversationId}`, event);
      return { externalId: `web-out:${msg.messageId}` };
    },
  };
}
