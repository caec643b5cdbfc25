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

/** @param allowed placeholder names templates may use. */
export function loadPrompts(allowed: readonly string[], dir = PROMPTS_DIR): PromptLibrary {
  const templates = new Map<string, string>();
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    const m = /^(.+)\.([a-z]+)\.md$/.exec(file.replace(/\\/g, '/'));
    if (!m) continue;
    const body = readFileSync(path.join(dir, file), 'utf8');
    for (const [, name] of body.matchAll(PLACEHOLDER))
      if (!allowed.includes(name!)) throw new PromptError(`${file}: unknown placeholder {{${name}}}`);
    templates.set(`${m[1]}.${m[2]}`, body);
  }
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
