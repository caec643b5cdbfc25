/**
 * The tool loop of one agent turn: ask the router; while the model calls tools, run them through
 * the turn's ToolGate (side-effect cap, duplicate calls, turn record) and feed results back; stop
 * at the first plain reply that passes the answer guard, after `maxSteps` model calls, or at the
 * turn deadline (ms).
 *
 * Platform lines compose, they never replace each other: a tool's `say(text, 'append')`
 * (booking confirmation, cancellation) and `say(text, 'replace')` (price offer: the model's own
 * text is dropped and the loop ends) are all sent, in order, after the model's text. Exact copies
 * of them in the model's text are removed (they are sent once).
 *
 * The answer guard (agents/guard/check-reply.ts) checks every plain reply against the turn
 * record; on a violation the model gets ONE corrective retry (an extra step even at the step
 * limit); if that fails too, the safe template (platform lines, or "let me check with the team")
 * goes out and the conversation is escalated with `policy_restriction`.
 * Escalation reasons are `code: detail` with a code from core/services/conversations/
 * escalation-reasons.ts (step_limit, empty_or_blocked, tool_failure, policy_restriction…).
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from '../../core/logger.ts';
import { checkReply, withoutPlatformLines, type Violation } from '../guard/check-reply.ts';
import type { PriceFacts } from '../guard/price-check.ts';
import { correctiveInstruction, safeTemplate } from '../guard/templates.ts';
import type { ToolRecord } from '../guard/turn-record.ts';
import type { LlmRouter, RoutedResult, TurnMeta } from '../llm/router.ts';
import type { ChatMessage, GenerateRequest } from '../llm/types.ts';
import { toolSpec, type AgentTool, type ToolContext } from '../tools/types.ts';
import { DEFAULT_MAX_SIDE_EFFECTS, ToolGate } from './tool-gate.ts';

/** One guard or limit intervention in a turn (stored in guard_interventions). */
export interface Intervention {
  /** false_claim | below_floor | platform_format | foreign_script | side_effect_cap | duplicate_call | safe_template | … */
  kind: string;
  detail: string;
}

export interface LoopResult extends RoutedResult {
  /** Set when the conversation must go to staff: `code: detail`. */
  escalation?: string;
  /** Tool names called, in order. */
  toolsUsed: string[];
  steps: number;
  /** What the tools did this turn (run and refused calls). */
  records?: ToolRecord[];
  interventions?: Intervention[];
}

export interface LoopOptions {
  maxSteps: number;
  deadlineMs: number;
  log?: Logger;
  /** The caller's abort (the queue job's timeout or shutdown); combined with the turn deadline. */
  signal?: AbortSignal;
  /** Side-effecting calls allowed per inbound turn (default 3). */
  maxSideEffects?: number;
  /** The tenant's prices for the amount check (none: amounts are not checked). */
  prices?: PriceFacts;
}

type Binding = Omit<ToolContext, 'escalate' | 'say'>;

const FALLBACK: Record<string, string> = {
  en: "Sorry, I couldn't finish that just now. A member of our team will follow up with you shortly.",
  sw: 'Samahani, sikuweza kukamilisha hilo sasa hivi. Mmoja wa timu yetu atawasiliana nawe hivi karibuni.',
  sheng: 'Sorry, sijaweza maliza hiyo saa hii. Mtu wa team atakucheki soon.',
};

const interventionOf = (v: Violation): Intervention => ({ kind: v.claim ? `false_claim:${v.claim}` : v.kind, detail: v.detail });

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
  let replaced = false;
  const platform: string[] = [];
  const toolsUsed: string[] = [];
  const interventions: Intervention[] = [];
  const ctx: ToolContext = {
    ...binding,
    escalate: (r) => void (escalation ??= r),
    say: (text, mode) => {
      if (mode === 'replace') replaced = true;
      if (!platform.includes(text)) platform.push(text);
    },
  };
  const gate = new ToolGate(tools, ctx, opts.maxSideEffects ?? DEFAULT_MAX_SIDE_EFFECTS);
  const prices = opts.prices ?? { items: [], listCents: [] };
  const lang = binding.language;
  const done = (r: RoutedResult, text: string): LoopResult => ({
    ...r,
    toolCalls: [],
    text,
    escalation,
    toolsUsed,
    steps,
    records: gate.records,
    interventions: [...gate.refusals(), ...interventions],
  });
  const compose = (text: string) => [withoutPlatformLines(text, platform), ...platform].filter(Boolean).join('\n');
  let last: RoutedResult | undefined;
  let steps = 0;
  let retried = false;
  try {
    while (steps < opts.maxSteps + (retried ? 1 : 0) && Date.now() < deadline) {
      steps++;
      last = await router.generate({ ...req, messages, tools: specs, signal }, meta);
      if (last.offline) return done(last, compose(last.text));
      if (!last.toolCalls.length) {
        const text = last.text.trim();
        if (!text) {
          if (platform.length) return done(last, compose(''));
          escalation ??= 'empty_or_blocked: the model returned no text';
          return done(last, FALLBACK[lang] ?? FALLBACK.en!);
        }
        const violations = checkReply(text, { records: gate.records, prices, platformLines: platform });
        if (!violations.length) return done(last, compose(text));
        interventions.push(...violations.map(interventionOf));
        opts.log?.info({ tenantId: meta.tenantId, violations: violations.map((v) => v.kind) }, 'answer guard rejected a reply');
        if (!retried) {
          retried = true;
          messages.push({ role: 'assistant', content: text }, { role: 'user', content: correctiveInstruction(violations) });
          continue;
        }
        interventions.push({ kind: 'safe_template', detail: violations.map((v) => v.kind).join(', ') });
        escalation ??= `policy_restriction: answer guard (${violations.map((v) => v.claim ?? v.kind).join(', ')})`;
        return done(last, safeTemplate(platform, lang));
      }
      messages.push({ role: 'assistant', content: last.text, toolCalls: last.toolCalls });
      for (const call of last.toolCalls) {
        toolsUsed.push(call.name);
        const out = await gate.run(call);
        messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: out.content });
      }
      if (replaced) return done(last, compose(''));
    }
  } catch (err) {
    opts.log?.warn({ err, tenantId: meta.tenantId }, 'agent turn aborted');
  }
  const base = last ?? { text: '', toolCalls: [], usage: { inputTokens: 0, outputTokens: 0 }, model: 'none', provider: 'offline' as const, offline: false, fallbackDepth: 0 };
  const fallback = FALLBACK[lang] ?? FALLBACK.en!;
  escalation ??= gate.toolFailed
    ? 'tool_failure: a tool failed and the turn did not finish'
    : Date.now() >= deadline
      ? 'step_limit: turn deadline reached'
      : `step_limit: no reply after ${steps} model calls`;
  return done(base, [...platform, fallback].join('\n'));
}
