/** The web-chat visitor's recent messages (open conversation), for the widget on (re)connect. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../../core/db/client.ts';
import { conversations, customers, messages } from '../../../core/db/schema/index.ts';

export interface WidgetMessage {
  id: string;
  /** Contract roles: `customer` or `agent` (the business, whoever wrote it). */
  role: 'customer' | 'agent';
  /** Who wrote an agent message: the AI, a staff member or the system. */
  author: 'customer' | 'ai' | 'staff' | 'system';
  text: string;
}

/** Whether this tenant has a customer with this handle (a returning visitor). */
export async function visitorKnown(db: Database, tenantId: string, handle: string): Promise<boolean> {
  const rows = await db.withTenant(tenantId, (tx) =>
    tx.select({ id: customers.id }).from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.handle, handle))).limit(1),
  );
  return rows.length > 0;
}

/** @param visitorId the public visitor id (webchatVisitorId), not the widget's secret. */
export async function webchatHistory(db: Database, tenantId: string, channelId: string, visitorId: string): Promise<WidgetMessage[]> {
  const handle = `web:${visitorId}`;
  const prefix = `${visitorId}:`;
  return db.withTenant(tenantId, async (tx) => {
    const rows = await tx
      .select({ id: messages.id, direction: messages.direction, sender: messages.sender, text: messages.text, externalId: messages.externalId })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .innerJoin(customers, eq(customers.id, conversations.customerId))
      .where(
        and(
          eq(customers.handle, handle),
          eq(conversations.channelId, channelId),
          eq(conversations.status, 'open'),
          inArray(messages.status, ['received', 'processed', 'sent']),
        ),
      )
      .orderBy(asc(messages.createdAt))
      .limit(100);
    return rows.map((r) => ({
      // Customer messages keep the client's id so the widget does not show them twice.
      id: r.direction === 'inbound' ? `c:${(r.externalId ?? '').replace(prefix, '')}` : r.id,
      role: r.direction === 'inbound' ? 'customer' : 'agent',
      author: r.sender,
      text: r.text,
    }));
  });
}
