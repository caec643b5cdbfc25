/**
 * Agent tools: a TypeBox schema for the arguments (sent to the model as the tool's JSON schema
 * and used to validate what it sends back) and a `run` that receives a context bound to the
 * turn's tenant, customer and conversation by closure. Tools never take tenant/customer ids
 * from the model: the schemas reject unknown properties and every query runs in
 * `db.withTenant(ctx.tenantId)` with the customer id from the context.
 */
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { Database } from '../../core/db/client.ts';
import type { JobQueue } from '../../core/queue.ts';
import type { Logger } from '../../core/logger.ts';
import type { JsonSchema, ToolSpec } from '../llm/types.ts';
import type { Embedder } from '../memory/embedder.ts';

export interface ToolContext {
  db: Database;
  queue: JobQueue;
  embedder: Embedder;
  log?: Logger;
  tenantId: string;
  tenantName: string;
  customerId: string;
  conversationId: string;
  /** The inbound message this turn answers: side effects are keyed by it (idempotent per message). */
  inboundMessageId?: string;
  /** Customer's language: en | sw | sheng. */
  language: string;
  now(): Date;
  /** Hand the conversation to staff with this reason (the reply is still sent). */
  escalate(reason: string): void;
  /**
   * Text the customer must see verbatim: `replace` makes it the whole reply (price guard),
   * `append` adds it unless the model's reply already contains it (booking confirmations).
   */
  say(text: string, mode: 'replace' | 'append'): void;
}

/** A refusal or bad request the model should read and recover from (fed back as the tool result). */
export class ToolRefusal extends Error {
  override name = 'ToolRefusal';
}

export interface AgentTool<S extends TObject = TObject> {
  name: string;
  description: string;
  schema: S;
  run(args: Static<S>, ctx: ToolContext): Promise<Record<string, unknown>>;
}

export const defineTool = <S extends TObject>(t: AgentTool<S>): AgentTool<TObject> => t as unknown as AgentTool<TObject>;

/** TypeBox schema → the JSON-schema subset providers accept (unions of literals become enums). */
export function toJsonSchema(s: TSchema): JsonSchema {
  const any = s as Record<string, unknown>;
  if (Array.isArray(any.anyOf)) {
    const values = (any.anyOf as Array<Record<string, unknown>>).map((x) => x.const).filter((v) => typeof v === 'string') as string[];
    return { type: 'string', enum: values, ...(any.description ? { description: String(any.description) } : {}) };
  }
  const out: JsonSchema = { type: any.type as JsonSchema['type'] };
  if (any.description) out.description = String(any.description);
  if (any.type === 'object') {
    out.properties = Object.fromEntries(Object.entries((any.properties ?? {}) as Record<string, TSchema>).map(([k, v]) => [k, toJsonSchema(v)]));
    out.required = (any.required as string[] | undefined) ?? [];
  }
  if (any.type === 'array' && any.items) out.items = toJsonSchema(any.items as TSchema);
  if (Array.isArray(any.enum)) out.enum = any.enum as string[];
  return out;
}

export const toolSpec = (t: AgentTool): ToolSpec => ({ name: t.name, description: t.description, parameters: toJsonSchema(t.schema) });
