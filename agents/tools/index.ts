/**
 * The agent's tool set (names are part of the public contract) and one safe way to run a call:
 * unknown tool → error result; arguments coerced and validated against the TypeBox schema
 * (unknown properties such as a `customer_id` or `tenant_id` are rejected); a `ToolRefusal`
 * becomes `{ ok: false, error }` for the model to read; any other error is logged and reported
 * to the model as an internal error without details. Never throws.
 */
import { Value } from '@sinclair/typebox/value';
import type { ToolCall } from '../llm/types.ts';
import { cancelBookingTool, checkAvailabilityTool, createBookingTool } from './booking-tools.ts';
import { captureLeadTool, handoffTool, proposePriceTool, searchKnowledgeTool } from './sales-tools.ts';
import { ToolRefusal, type AgentTool, type ToolContext } from './types.ts';

export const AGENT_TOOLS: AgentTool[] = [
  checkAvailabilityTool,
  createBookingTool,
  cancelBookingTool,
  captureLeadTool,
  proposePriceTool,
  searchKnowledgeTool,
  handoffTool,
];

export interface ToolOutcome {
  ok: boolean;
  /** JSON text fed back to the model as the tool result. */
  content: string;
}

export async function executeTool(tools: AgentTool[], call: ToolCall, ctx: ToolContext): Promise<ToolOutcome> {
  const tool = tools.find((t) => t.name === call.name);
  const fail = (error: string): ToolOutcome => ({ ok: false, content: JSON.stringify({ ok: false, error }) });
  if (!tool) return fail(`Unknown tool "${call.name}". Available: ${tools.map((t) => t.name).join(', ')}.`);
  const args = Value.Convert(tool.schema, structuredClone(call.args ?? {}));
  if (!Value.Check(tool.schema, args)) {
    const errs = [...Value.Errors(tool.schema, args)].slice(0, 3).map((e) => `${e.path || '/'}: ${e.message}`);
    return fail(`Invalid arguments for ${tool.name}: ${errs.join('; ')}`);
  }
  try {
    const result = await tool.run(args, ctx);
    return { ok: true, content: JSON.stringify({ ok: true, ...result }) };
  } catch (err) {
    if (err instanceof ToolRefusal) return fail(err.message);
    ctx.log?.error({ err, tool: tool.name, tenantId: ctx.tenantId }, 'tool failed');
    return fail('Internal error in this tool; do not retry it. Offer to have a person follow up.');
  }
}
