/**
 * Runs one turn's tool calls under the turn's limits and records what they did:
 *  - at most `maxSideEffects` side-effecting calls (turn-record.ts SIDE_EFFECT_TOOLS) per
 *    inbound turn that run (a call its schema rejects does not count; a refused booking does);
 *    the rest are refused back to the model without running;
 *  - the same side-effecting call twice in one turn (same name and arguments, e.g. 40 parallel
 *    identical `create_booking`s) runs once; the repeats get the first result;
 *  - every call (run or refused) lands in the turn record the answer guard reads.
 * Calls run one at a time in the order the model sent them, so the cap is deterministic even
 * when the model emits parallel calls.
 */
import type { ToolCall } from '../llm/types.ts';
import { callKey, SIDE_EFFECT_TOOLS, type ToolRecord } from '../guard/turn-record.ts';
import { executeTool, type ToolOutcome } from '../tools/index.ts';
import type { AgentTool, ToolContext } from '../tools/types.ts';

export const DEFAULT_MAX_SIDE_EFFECTS = 3;

const parse = (content: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(content) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

export class ToolGate {
  readonly records: ToolRecord[] = [];
  /** A tool crashed (internal error, not a refusal) in this turn. */
  toolFailed = false;
  private readonly seen = new Map<string, ToolOutcome>();
  private sideEffects = 0;

  constructor(
    private readonly tools: AgentTool[],
    private readonly ctx: ToolContext,
    private readonly maxSideEffects: number,
  ) {}

  /** Run (or refuse) one call. Never throws. */
  async run(call: ToolCall): Promise<ToolOutcome> {
    const args = call.args ?? {};
    const gated = SIDE_EFFECT_TOOLS.has(call.name);
    const key = callKey(call.name, args);
    if (gated) {
      const prev = this.seen.get(key);
      if (prev) {
        this.records.push({ name: call.name, args, ok: prev.ok, result: parse(prev.content), refused: 'duplicate' });
        return prev;
      }
      if (this.sideEffects >= this.maxSideEffects) {
        const error = `Refused: at most ${this.maxSideEffects} actions (bookings, cancellations, leads, price offers, payments) per customer message; this one was not done. Do not retry it; tell the customer only what was done.`;
        this.records.push({ name: call.name, args, ok: false, result: { ok: false, error }, refused: 'turn_cap' });
        return { ok: false, content: JSON.stringify({ ok: false, error }) };
      }
      this.sideEffects++;
    }
    const out = await executeTool(this.tools, call, this.ctx);
    const result = parse(out.content);
    const error = String(result.error ?? '');
    if (!out.ok && /^Internal error in this tool/.test(error)) this.toolFailed = true;
    // A call rejected by its schema did nothing: it does not use up the turn's allowance.
    if (gated && !out.ok && /^(Invalid arguments|Unknown tool)/.test(error)) this.sideEffects--;
    this.records.push({ name: call.name, args, ok: out.ok, result });
    if (gated) this.seen.set(key, out);
    return out;
  }

  /** Calls the gate refused, by reason (for guard intervention figures). */
  refusals(): Array<{ kind: string; detail: string }> {
    return this.records
      .filter((r) => r.refused === 'turn_cap' || r.refused === 'duplicate')
      .map((r) => ({ kind: r.refused === 'turn_cap' ? 'side_effect_cap' : 'duplicate_call', detail: r.name }));
  }
}
