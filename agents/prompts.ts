/**
 * Prompt templates from `prompts/<agent>.<lang>.md`, loaded once at start and validated
 * (every `{{placeholder}}` must be a known variable). Missing languages fall back to English.
 *
 * @throws PromptError at load time for an unknown placeholder or a missing English template.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
