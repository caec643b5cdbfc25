/**
 * Shapes of the platform API responses the admin views read (KES amounts in cents, times as ISO
 * strings, months as 'YYYY-MM-01'). Written from the services that produce them
 * (core/services/platform/*.ts, core/services/usage/llm-usage.ts); replace with the types
 * generated from /docs/openapi.json (openapi-typescript) once every admin route declares its
 * response schema.
 */

/** GET /api/auth/me → user */
export interface Me {
  id: string;
  userType: 'platform' | 'tenant';
  role: string;
  email: string;
  name: string | null;
}

/** core/services/platform/metrics.ts MonthMetrics */
export interface MonthMetrics {
  month: string;
  mrrCents: number;
  payingTenants: number;
  arpaCents: number;
  newCents: number;
  expansionCents: number;
  contractionCents: number;
  churnCents: number;
  reactivationCents: number;
  netNewCents: number;
  churnedTenants: number;
  /** Fractions (0.25 = 25 %); null when the month before had no paying tenant. */
  logoChurnRate: number | null;
  revenueChurnRate: number | null;
}

/** GET /api/admin/platform-metrics (core/services/platform/overview.ts) */
export interface PlatformOverview {
  month: string;
  mrrCents: number;
  arrCents: number;
  arpaCents: number;
  payingTenants: number;
  /** Oldest first, 12 months ending with `month`. */
  series: MonthMetrics[];
  tenantsByStatus: Record<string, number>;
  health: {
    queues: Record<string, number>;
    llm: { byProvider: Record<string, { attempts: number; errors: number }>; attempts: number; errorRate: number };
    channels: Array<{ type: string; provider: string; status: string; count: number }>;
  };
}

/** GET /api/admin/tenants-billing → {tenants, total} */
export interface TenantBillingRow {
  id: string;
  slug: string;
  name: string;
  industry: string;
  status: string;
  planId: string;
  mrrCents: number;
  repId: string | null;
  repName: string | null;
  lastActivityAt: string | null;
  createdAt: string;
}

export interface PaymentRow {
  id: string;
  tenantId?: string;
  reference: string;
  method: string;
  planId: string;
  amountCents: number;
  periodMonths: number;
  periodStart: string;
  periodEnd: string;
  paidAt: string;
}

/** GET /api/admin/tenants-billing/:id */
export interface TenantDetail {
  tenant: {
    id: string;
    slug: string;
    name: string;
    status: string;
    planId: string;
    feeCents: number;
    subscriptionStatus: string | null;
    trialEndsAt: string | null;
    currentPeriodEnd: string | null;
    pastDueSince: string | null;
    repId: string | null;
  };
  payments: PaymentRow[];
  usage: {
    month: string;
    messagesIn: number;
    messagesOut: number;
    aiCalls: number;
    aiTokens: number;
    aiCostUsdMicros: number;
    aiCostKesCents: number;
    /** AI cost ÷ the monthly fee (0..), null without a fee. */
    aiCostShareOfFee: number | null;
  };
}

/** GET /api/admin/sales/reps → {reps} (core/services/platform/sales-team.ts RepSummary) */
export interface Rep {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  /** Basis points (2000 = 20 %). */
  firstPaymentRateBp: number;
  recurringRateBp: number;
  territories: string[];
  tenants: number;
  mrrCents: number;
  openLeads: number;
}

export type LeadStage = 'new' | 'contacted' | 'demo' | 'negotiating' | 'won' | 'lost';

/** GET /api/admin/sales/leads → {leads} */
export interface Lead {
  id: string;
  name: string;
  phone: string | null;
  industry: string | null;
  stage: LeadStage;
}

/** GET /api/admin/sales-performance?month=YYYY-MM → {month, leaderboard} */
export interface LeaderboardRow {
  repId: string;
  name: string | null;
  email: string;
  payments: number;
  newTenants: number;
  revenueCents: number;
  commissionCents: number;
}

/** GET /api/admin/commissions → {months, commissions} */
export interface Commission {
  id: string;
  repId: string;
  tenantId: string;
  tenantName: string;
  kind: 'first' | 'recurring';
  rateBp: number;
  amountCents: number;
  paymentCents: number;
  month: string;
  status: 'pending' | 'approved' | 'paid';
}

/** core/services/usage/llm-usage.ts UsageSplit */
export interface UsageSplit {
  attempts: number;
  ok: number;
  /** Share (0..1) of all replies in the report. */
  replyShare: number;
  inputTokens: number;
  outputTokens: number;
  costUsdMicros: number;
}

/** GET /api/admin/llm-usage?hours=N */
export interface LlmUsageReport {
  since: string;
  until: string;
  totals: UsageSplit;
  byProvider: Record<string, UsageSplit>;
  byTenant: Array<UsageSplit & { tenantId: string; slug: string; name: string; byProvider: Record<string, UsageSplit> }>;
}
