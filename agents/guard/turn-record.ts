/**
 * The turn record: what the tools of one inbound turn actually did — every call the model made,
 * executed or refused (per-turn cap, duplicate), with its parsed result. The answer guard reads
 * claims and amounts against it; the safe template is built from it.
 */
import type { ClaimKind } from './claims.ts';
import { extractAmounts } from './amounts.ts';

/** Tools whose calls change something outside the conversation (counted against the turn cap). */
export const SIDE_EFFECT_TOOLS: ReadonlySet<string> = new Set(['create_booking', 'cancel_booking', 'capture_lead', 'propose_price', 'request_payment']);

export interface ToolRecord {
  name: string;
  args: Record<string, unknown>;
  /** The tool ran and returned a result (not a refusal or error). */
  ok: boolean;
  /** Parsed tool result as the model saw it (`{ ok, ... }` or `{ ok: false, error }`). */
  result: Record<string, unknown>;
  /** Why the runtime refused the call without running it, when it did. */
  refused?: 'turn_cap' | 'duplicate' | 'unknown_tool' | 'invalid_args';
}

/** Claim kinds this turn's tools make true (for this customer: tools are customer-scoped). */
export function supportedClaims(records: readonly ToolRecord[]): Set<ClaimKind> {
  const out = new Set<ClaimKind>();
  for (const r of records) {
    if (!r.ok || r.refused) continue;
    const res = r.result;
    if (r.name === 'create_booking' && res.booked === true) {
      out.add('booking_made');
      if (records.some((c) => c.name === 'cancel_booking' && c.ok && c.result.canceled === true)) out.add('booking_moved');
    }
    if (r.name === 'cancel_booking' && res.canceled === true) out.add('booking_cancelled');
    if (r.name === 'capture_lead' && typeof res.lead_id === 'string') out.add('lead_recorded');
    if (r.name === 'handoff_to_human' && res.handed_off === true) out.add('person_connecting');
    if (r.name === 'propose_price' && res.decision === 'handoff') out.add('person_connecting');
    if (r.name === 'request_payment' && (res.paid === true || res.status === 'paid')) out.add('payment_received');
  }
  return out;
}

/** KES cents amounts that successful tools returned this turn (offers, quotes). */
export function toolAmounts(records: readonly ToolRecord[]): number[] {
  const out: number[] = [];
  for (const r of records) {
    if (!r.ok || r.refused) continue;
    for (const a of extractAmounts(JSON.stringify(r.result).replace(/\\"/g, '"'))) out.push(a.cents);
    for (const [k, v] of Object.entries(r.result)) if (/_kes$/.test(k) && typeof v === 'number') out.push(Math.round(v * 100));
  }
  return out;
}

/** Successful side-effecting calls (what was really done). */
export const sideEffectsDone = (records: readonly ToolRecord[]) => records.filter((r) => r.ok && !r.refused && SIDE_EFFECT_TOOLS.has(r.name));

/** A stable key for "the same call twice in one turn" (name + arguments, key order ignored). */
export function callKey(name: string, args: Record<string, unknown>): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
      : typeof v === 'string'
        ? v.trim().toLowerCase()
        : v;
  return `${name}:${JSON.stringify(sorted(args))}`;
}
