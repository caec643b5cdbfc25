/**
 * The tool loop of one agent turn: ask the router; while the model calls tools, run them (bound
 * to the turn by the ToolContext) and feed results back; stop at the first plain reply, after
 * `maxSteps` model calls, or at the turn deadline (ms).
 *
 * Deterministic overrides: a tool's `say(text, 'replace')` (price guard) ends the loop and
 * becomes the whole reply; `say(text, 'append')` (booking confirmation) is appended unless the
 * reply already contains it. `escalate(reason)` flags the turn for staff. Step limit or
 * deadline without a reply → an honest fallback text and escalation.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from '../../core/logger.ts';
import type { LlmRouter, RoutedResult, TurnMeta } from '../llm/router.ts';
import type { ChatMessage, GenerateRequest } from '../llm/types.ts';
import { executeTool } from '../tools/index.ts';
import { toolSpec, type AgentTool, type ToolContext } from '../tools/types.ts';

export interface LoopResult extends RoutedResult {
  /** Set when the conversation must go to staff (handoff tool, guard, step limit, deadline). */
  escalation?: string;
  /** Tool names called, in order. */
  toolsUsed: string[];
  steps: number;
}

export interface LoopOptions {
  maxSteps: number;
  deadlineMs: number;
  log?: Logger;
  /** The caller's abort (the queue job's timeout or shutdown); combined with the turn deadline. */
  signal?: AbortSignal;
}

type Binding = Omit<ToolContext, 'escalate' | 'say'>;

const FALLBACK: Record<string, string> = {
  en: "Sorry, I couldn't finish that just now. A member of our team will follow up with you shortly.",
  sw: 'Samahani, sikuweza kukamilisha hilo sasa hivi. Mmoja wa timu yetu atawasiliana nawe hivi karibuni.',
  sheng: 'Sorry, sijaweza maliza hiyo saa hii. Mtu wa team atakucheki soon.',
};

export async function runToolLoop(
  router: LlmRouter,
  req: Omit<GenerateRequest, 'tools' | 'signal'>,
  meta: TurnMeta,
  tools: AgentTool[],
  binding: Binding,
  opts: LoopOptions,
): Promise<LoopResult> {
  const messages: ChatMessage[] = [...req.messages];
  const specs = tools.map(toolSpec);
  const deadline = Date.now() + opts.deadlineMs;
  const signal = opts.signal ? AbortSignal.any([AbortSignal.timeout(opts.deadlineMs), opts.signal]) : AbortSignal.timeout(opts.deadlineMs);
  setMaxListeners(64, signal); // the router links every attempt's own deadline to it
  let escalation: string | undefined;
  let replace: string | undefined;
  const appended: string[] = [];
  const toolsUsed: string[] = [];
  const ctx: ToolContext = {
    ...binding,
    escalate: (r) => void (escalation ??= r),
    say: (text, mode) => (mode === 'replace' ? (replace = text) : void appended.push(text)),
  };
  const compose = (text: string) => {
    if (replace !== undefined) return replace;
    const extra = appended.filter((a) => !text.includes(a));
    return [text.trim(), ...extra].filter(Boolean).join('\n');
  };
  let last: RoutedResult | undefined;
  let steps = 0;
  try {
    while (steps < opts.maxSteps && Date.now() < deadline) {
      steps++;
      last = await router.generate({ ...req, messages, tools: specs, signal }, meta);
      if (last.offline) return { ...last, text: compose(last.text), escalation, toolsUsed, steps };
      if (!last.toolCalls.length) {
        const text = compose(last.text);
        if (text) return { ...last, text, escalation, toolsUsed, steps };
        break;
      }
      messages.push({ role: 'assistant', content: last.text, toolCalls: last.toolCalls });
      for (const call of last.toolCalls) {
        toolsUsed.push(call.name);
        const out = await executeTool(tools, call, ctx);
        messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: out.content });
      }
      if (replace !== undefined) return { ...last, text: replace, escalation, toolsUsed, steps };
    }
  } catch (err) {
    opts.log?.warn({ err, tenantId: meta.tenantId }, 'agent turn aborted');
  }
  const base = last ?? { text: '', toolCalls: [], usage: { inputTokens: 0, outputTokens: 0 }, model: 'none', provider: 'offline' as const, offline: false, fallbackDepth: 0 };
  const fallback = FALLBACK[binding.language] ?? FALLBACK.en!;
  return {
    ...base,
    toolCalls: [],
    text: replace ?? [...appended, fallback].join('\n'),
    escalation: escalation ?? (Date.now() >= deadline ? 'agent_deadline' : 'agent_step_limit'),
    toolsUsed,
    steps,
  };
}
