/**
 * Prompt templates from `prompts/<agent>.<lang>.md`, loaded once at start and validated
 * (every `{{placeholder}}` must be a known variable). Missing languages fall back to English.
 *
 * @throws PromptError at load time for an unknown placeholder or a missing English template.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TIMEZONE, describeHours, openState, wallClock } from '../core/services/setup/business-hours.ts';
import { hoursOf } from '../core/services/setup/business-profile.ts';

export const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../prompts');
export const LANGUAGES = ['en', 'sw', 'sheng'] as const;
export type Language = (typeof LANGUAGES)[number];

export class PromptError extends Error {
  override name = 'PromptError';
}

export interface PromptLibrary {
  /** Render template `agent` in `lang` (fallback en) with the variables. */
  render(agent: string, lang: string, vars: Record<string, string>): string;
  has(agent: string, lang?: string): boolean;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z_.]+)\s*\}\}/g;

/** Industries of the product seed (each has `prompts/industry/<industry>.<lang>.md`). */
export const PROMPT_INDUSTRIES = ['hotels', 'restaurants', 'real_estate', 'car_dealers', 'beauty', 'medical', 'tech', 'law', 'hardware'] as const;
/** Templates that must exist in every language for the shipped prompts directory. */
export const REQUIRED_PROMPTS = ['general', 'tools', 'content', ...PROMPT_INDUSTRIES.map((i) => `industry/${i}`)];

/**
 * @param allowed placeholder names templates may use.
 * @param required templates that must exist in every language (default: REQUIRED_PROMPTS for the
 *   shipped directory, none for another one). @throws PromptError naming the missing ones.
 */
export function loadPrompts(allowed: readonly string[], dir = PROMPTS_DIR, required: readonly string[] = dir === PROMPTS_DIR ? REQUIRED_PROMPTS : []): PromptLibrary {
  const templates = new Map<string, string>();
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    const m = /^(.+)\.([a-z]+)\.md$/.exec(file.replace(/\\/g, '/'));
    if (!m) continue;
    const body = readFileSync(path.join(dir, file), 'utf8');
    for (const [, name] of body.matchAll(PLACEHOLDER))
      if (!allowed.includes(name!)) throw new PromptError(`${file}: unknown placeholder {{${name}}}`);
    templates.set(`${m[1]}.${m[2]}`, body);
  }
  const missing = required.flatMap((agent) => LANGUAGES.filter((l) => !templates.has(`${agent}.${l}`)).map((l) => `${agent}.${l}.md`));
  if (missing.length) throw new PromptError(`missing prompt templates: ${missing.join(', ')}`);
  const get = (agent: string, lang: string) => templates.get(`${agent}.${lang}`) ?? templates.get(`${agent}.en`);
  return {
    render(agent, lang, vars) {
      const t = get(agent, lang);
      if (!t) throw new PromptError(`no prompt template "${agent}"`);
      return t.replace(PLACEHOLDER, (_, name: string) => vars[name] ?? '').trim();
    },
    has: (agent, lang = 'en') => templates.has(`${agent}.${lang}`),
  };
}

/** Profile keys the business-profile block renders itself (the rest are listed as `- key: value`). */
const OWN_KEYS = new Set(['description', 'address', 'location', 'phone', 'website', 'persona', 'escalationRules', 'timezone', 'openingHours', 'languages']);

/**
 * The "About the business" block of the system prompt, from the tenant's profile
 * (core/services/setup/business-profile.ts): description, address, phone, website, persona,
 * escalation rules, the weekly hours and — evaluated at `now` in the tenant's timezone — whether
 * the business is open now and when it next opens. Outside hours the agent is told to say so
 * and that it can still book for later. Returns '- (no details provided yet)' for an empty profile.
 */
export function businessProfileBlock(profile: Record<string, unknown>, now: Date): string {
  const str = (k: string) => (typeof profile[k] === 'string' ? (profile[k] as string).trim() : '');
  const tz = str('timezone') || DEFAULT_TIMEZONE;
  const lines: string[] = [];
  if (str('description')) lines.push(`- Description: ${str('description')}`);
  if (str('address') || str('location')) lines.push(`- Address: ${str('address') || str('location')}`);
  if (str('phone')) lines.push(`- Phone: ${str('phone')}`);
  if (str('website')) lines.push(`- Website: ${str('website')}`);
  for (const [k, v] of Object.entries(profile))
    if (!OWN_KEYS.has(k) && v !== undefined && v !== null && v !== '') lines.push(`- ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const hours = hoursOf(profile);
  if (hours.weekly.length) {
    lines.push(`- Opening hours (${tz} time):`, ...describeHours(hours).map((l) => `  - ${l}`));
    const soon = hours.holidays.filter((h) => h.date >= wallClock(now, tz).date).slice(0, 5);
    if (soon.length) lines.push(`- Closed on holidays: ${soon.map((h) => `${h.date} (${h.name})`).join(', ')}`);
    const st = openState(hours, tz, now);
    const at = wallClock(now, tz);
    if (st.open) lines.push(`- Right now (${at.hm} ${tz}) the business is OPEN${st.closesAt ? ` until ${st.closesAt}` : ''}.`);
    else
      lines.push(
        `- Right now (${at.hm} ${tz}) the business is CLOSED${st.nextOpening ? `; it next opens ${st.nextOpening.weekday} ${st.nextOpening.date} at ${st.nextOpening.time}` : ''}. ` +
          'If the customer wants something now, say you are closed and when you open; you can still take a booking for a later time.',
      );
  }
  if (str('persona')) lines.push(`- Your persona and tone: ${str('persona')}`);
  if (str('escalationRules')) lines.push(`- Hand over to a person (handoff_to_human) when: ${str('escalationRules')}`);
  return lines.join('\n') || '- (no details provided yet)';
}
