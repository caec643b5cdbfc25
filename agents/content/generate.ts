/**
 * The `content_generate` job's service: one model call (standard traffic, through the router)
 * writes N variants of marketing copy for a content request, separated by lines of `---`;
 * they are stored as drafts with the provider and model used. The prompt is
 * `prompts/content.<lang>.md` plus the tenant's profile. An offline (no provider) answer is not
 * stored as content: the attempt fails and the queue retries; the last attempt marks it failed.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../core/db/client.ts';
import { tenants } from '../../core/db/schema/index.ts';
import { getContentRequest, markContentFailed, storeVariants } from '../../core/services/commerce/content.ts';
import type { LlmRouter } from '../llm/router.ts';
import type { PromptLibrary } from '../prompts.ts';

const KIND_GUIDE: Record<string, string> = {
  google_business_post: 'a Google Business Profile post (max 1,500 characters, one clear call to action)',
  social_post: 'a social media post (Facebook/Instagram; max 600 characters, up to 3 hashtags)',
  broadcast: 'a WhatsApp/SMS broadcast message (max 300 characters, plain text, no hashtags)',
};
const MAX_CHARS: Record<string, number> = { google_business_post: 1500, social_post: 600, broadcast: 300 };

/** Split a model reply into variants (`---` separator lines; numbered list as a fallback). */
export function splitVariants(text: string, max: number): string[] {
  let parts = text.split(/^\s*-{3,}\s*$/m);
  if (parts.length < 2) parts = text.split(/^\s*(?:variant\s*)?\d+[.):]\s+/im);
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .slice(0, max);
}

export async function generateContent(
  deps: { db: Database; router: LlmRouter; prompts: PromptLibrary },
  job: { tenantId: string; requestId: string },
  ctx: { final: boolean; signal?: AbortSignal } = { final: true },
): Promise<void> {
  const loaded = await deps.db.withTenant(job.tenantId, async (tx) => {
    const req = await getContentRequest(tx, job.requestId);
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, job.tenantId));
    return req && tenant ? { req, tenant } : undefined;
  });
  if (!loaded || loaded.req.status === 'done') return;
  const { req, tenant } = loaded;
  const profile = Object.entries(tenant.profile ?? {})
    .map(([k, v]) => `- ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
  const system = deps.prompts.render('content', req.language, {
    'tenant.name': tenant.name,
    industry: tenant.industry.replace('_', ' '),
    profile: profile || '- (no details provided)',
    language: { en: 'English', sw: 'Swahili', sheng: 'Sheng' }[req.language] ?? 'English',
    channel: KIND_GUIDE[req.kind] ?? req.kind,
    today: new Date().toISOString().slice(0, 10),
  });
  const user = `Write ${req.variants} different variants of ${KIND_GUIDE[req.kind]}.\nGoal: ${req.goal}\nTone: ${req.tone}\nSeparate variants with a line containing only ---. No other commentary.`;
  try {
    const r = await deps.router.generate(
      { system, messages: [{ role: 'user', content: user }], maxTokens: 1500, temperature: 0.9, signal: ctx.signal },
      { tenantId: job.tenantId, class: 'standard' },
    );
    if (r.offline) throw new Error('no language model available');
    const variants = splitVariants(r.text, req.variants).map((v) => v.slice(0, MAX_CHARS[req.kind] ?? 1500));
    if (!variants.length) throw new Error('model returned no content');
    await deps.db.withTenant(job.tenantId, (tx) => storeVariants(tx, req, variants, r.provider, r.model));
  } catch (err) {
    if (ctx.final) await deps.db.withTenant(job.tenantId, (tx) => markContentFailed(tx, req.id, (err as Error).message));
    throw err;
  }
}
