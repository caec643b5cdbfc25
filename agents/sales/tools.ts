/**
 * What the sales assistant can do for a rep. Slash commands and the model's tool calls (free
 * text) end up in the same `runSalesCommand`, so both paths give the same result.
 */
import type { Database } from '../../core/db/client.ts';
import { DEFAULT_RATES, repCommissionsByMonth } from '../../core/services/platform/commissions.ts';
import { monthOf } from '../../core/services/platform/months.ts';
import { onboardBusiness, type OnboardResult } from '../../core/services/platform/onboarding.ts';
import { createLead, listLeads, listRepClients, listReps, SalesInputError } from '../../core/services/platform/sales-team.ts';
import type { ToolSpec } from '../llm/types.ts';
import { HELP, type SalesCommand } from './commands.ts';

export interface SalesToolDeps {
  db: Database;
  secretKey: string;
  publicUrl: string;
  now?: () => Date;
  /** Called inside the command's transaction (`db` joins it) with each business onboarded. */
  onOnboarded?: (r: OnboardResult, db: Database) => Promise<void>;
}

const kes = (cents: number) => `KES ${(cents / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const s = (d: string) => ({ type: 'string' as const, description: d });

/** Tool specs offered to the model for free-text messages (names mirror the commands). */
export const SALES_TOOLS: ToolSpec[] = [
  {
    name: 'onboard_business',
    description: 'Sign up a new business on a 14-day trial, assigned to this rep.',
    parameters: {
      type: 'object',
      properties: { business: s('business name'), industry: s('industry'), ownerPhone: s('owner phone, E.164'), ownerEmail: s('owner email'), plan: s('starter, professional or growth') },
      required: ['business', 'industry', 'ownerPhone', 'ownerEmail', 'plan'],
    },
  },
  { name: 'list_clients', description: "List the rep's businesses (tenants).", parameters: { type: 'object', properties: {} } },
  { name: 'list_leads', description: "List the rep's sales leads.", parameters: { type: 'object', properties: {} } },
  {
    name: 'add_lead',
    description: 'Record a new sales lead.',
    parameters: { type: 'object', properties: { name: s('business or person'), phone: s('phone'), industry: s('industry') }, required: ['name'] },
  },
  { name: 'my_commission', description: "The rep's commission this month and overall.", parameters: { type: 'object', properties: {} } },
  { name: 'help', description: 'Explain what the assistant can do.', parameters: { type: 'object', properties: {} } },
];

/** A model tool call → the equivalent command, or undefined for an unknown tool. */
export function commandFromTool(name: string, a: Record<string, unknown>): SalesCommand | undefined {
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : '');
  switch (name) {
    case 'onboard_business':
      return { name: 'onboard', business: str('business'), industry: str('industry'), ownerPhone: str('ownerPhone'), ownerEmail: str('ownerEmail'), plan: str('plan') };
    case 'list_clients':
      return { name: 'clients' };
    case 'list_leads':
      return { name: 'leads' };
    case 'add_lead':
      return { name: 'lead', leadName: str('name'), phone: str('phone') || undefined, industry: str('industry') || undefined };
    case 'my_commission':
      return { name: 'commission' };
    case 'help':
      return { name: 'help' };
    default:
      return undefined;
  }
}

/** Run one command for rep `repId`; returns the reply text. Input errors become the reply. */
export async function runSalesCommand(deps: SalesToolDeps, repId: string, cmd: SalesCommand): Promise<string> {
  const now = deps.now?.() ?? new Date();
  try {
    switch (cmd.name) {
      case 'onboard': {
        const r = await onboardBusiness(deps.db, { secretKey: deps.secretKey, publicUrl: deps.publicUrl, now }, repId, cmd);
        await deps.onOnboarded?.(r, deps.db);
        return [
          `Done! ${r.tenant.name} is on Aizalo (${r.tenant.planId}, free trial until ${r.trialEndsAt.toISOString().slice(0, 10)}).`,
          `Slug: ${r.tenant.slug}`,
          `Web chat: ${r.webchatUrl}`,
          `Owner invite, sent to ${r.owner.phone} by SMS and to ${r.owner.email}: ${r.inviteUrl}`,
          `Next steps: 1) the owner opens the invite and sets a password; 2) in the console (${deps.publicUrl}/app?tenant=${r.tenant.slug}) they add hours, prices and a description; 3) connect their WhatsApp or SMS number; 4) first payment before the trial ends earns your commission.`,
        ].join('\n');
      }
      case 'clients': {
        const clients = await listRepClients(deps.db, repId, now);
        if (!clients.length) return 'You have no businesses yet. Sign one up with /onboard.';
        return [`Your businesses (${clients.length}):`, ...clients.slice(0, 15).map((c, i) => `${i + 1}. ${c.name} (${c.slug}) - ${c.status}, ${c.planId}, ${kes(c.mrrCents)}/month`)].join('\n');
      }
      case 'leads': {
        const leads = await listLeads(deps.db, repId, 15);
        if (!leads.length) return 'No leads yet. Add one with /lead <name>; <phone>; <industry>.';
        return [`Your leads (${leads.length}):`, ...leads.map((l, i) => `${i + 1}. ${l.name}${l.phone ? ` ${l.phone}` : ''}${l.industry ? ` (${l.industry})` : ''} - ${l.stage}`)].join('\n');
      }
      case 'lead': {
        const l = await createLead(deps.db, { repId, name: cmd.leadName, phone: cmd.phone, industry: cmd.industry });
        return `Lead saved: ${l.name}${l.phone ? ` ${l.phone}` : ''} (stage: new). See all with /leads.`;
      }
      case 'commission':
        return commissionReply(deps, repId, now);
      case 'help':
        return HELP;
    }
  } catch (err) {
    if (err instanceof SalesInputError) return `Could not do that: ${err.message}`;
    throw err;
  }
}

async function commissionReply(deps: SalesToolDeps, repId: string, now: Date): Promise<string> {
  const [months, [rep], clients] = await Promise.all([
    repCommissionsByMonth(deps.db, repId, 120),
    listReps(deps.db, now, repId),
    listRepClients(deps.db, repId, now),
  ]);
  const thisMonth = months.find((m) => m.month === monthOf(now));
  const total = months.reduce((a, m) => a + m.pendingCents + m.approvedCents + m.paidCents, 0);
  const paid = months.reduce((a, m) => a + m.paidCents, 0);
  const firstRate = rep?.firstPaymentRateBp ?? DEFAULT_RATES.firstPaymentRateBp;
  const lines = [
    `Commission this month: ${kes((thisMonth?.pendingCents ?? 0) + (thisMonth?.approvedCents ?? 0) + (thisMonth?.paidCents ?? 0))} (${kes(thisMonth?.pendingCents ?? 0)} pending, ${kes(thisMonth?.approvedCents ?? 0)} approved, ${kes(thisMonth?.paidCents ?? 0)} paid).`,
    `All time: ${kes(total)}, of which ${kes(paid)} paid out.`,
    `Your rates: ${firstRate / 100}% of a first payment, ${(rep?.recurringRateBp ?? DEFAULT_RATES.recurringRateBp) / 100}% after that.`,
  ];
  const trials = clients.filter((c) => c.status === 'trial');
  if (trials.length) lines.push(`In trial (${trials.length}): ${trials.slice(0, 10).map((c) => c.name).join(', ')} - you earn ${firstRate / 100}% of each first payment.`);
  return lines.join('\n');
}
