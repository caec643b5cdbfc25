/**
 * The one list of reasons a conversation goes to staff, and the mapping from the reason texts
 * in use to it. Reasons are written `code: detail` (e.g. "policy_restriction: answer guard
 * (booking_made)"); older free-form reasons map by their prefix. Stored per escalation in
 * `conversations.escalation_reason` and the `conversation.escalate` audit entry (migration 0011).
 */

export const ESCALATION_REASONS = [
  'customer_request',
  'missing_knowledge',
  'unsupported_request',
  'policy_restriction',
  'tool_failure',
  'negotiation_floor',
  'ai_unavailable',
  'step_limit',
  'empty_or_blocked',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

const LEGACY: Array<[RegExp, EscalationReason]> = [
  [/^customer_requested_human\b/, 'customer_request'],
  // The customer repeating themselves three times: the AI could not answer what they asked.
  [/^repeated_failure\b/, 'unsupported_request'],
  [/^negotiation\b|^below_floor\b/, 'negotiation_floor'],
  [/^agent_step_limit\b|^agent_deadline\b/, 'step_limit'],
  [/^handoff\b|^handoff_tool\b/, 'unsupported_request'],
];

/** The reason code for a reason text (unknown forms → `unsupported_request`). */
export function reasonCode(reason: string): EscalationReason {
  const head = reason.split(':', 1)[0]!.trim();
  if ((ESCALATION_REASONS as readonly string[]).includes(head)) return head as EscalationReason;
  for (const [re, code] of LEGACY) if (re.test(reason)) return code;
  return 'unsupported_request';
}
