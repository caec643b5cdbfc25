/**
 * Channel rendering after the answer guard (one entry point, one renderer per channel):
 *  - sms: plain text, foreign links removed, ≤ `smsMaxParts` parts (tenant setting, default 3)
 *    of ≤ 1,600 characters (sms.ts);
 *  - whatsapp: markdown → WhatsApp formatting, HTML removed, ≤ 4,096 characters (WhatsApp's
 *    text message limit), cut at a sentence boundary;
 *  - webchat: HTML removed, a safe markdown subset kept as text (the widget renders text nodes),
 *    images dropped, ≤ 4,096 characters.
 * Links only to the tenant's own domains (links.ts). @returns the text staff see, the parts the
 * sender sends (null = one message, `text`) and what was changed (guard intervention kinds).
 */
import { filterLinks, type LinkPolicy } from './links.ts';
import { markdownToWhatsApp, stripHtml, tidy } from './markup.ts';
import { renderSms } from './sms.ts';

export interface RenderOptions {
  links: LinkPolicy;
  lang: string;
  /** SMS parts per reply (default 3). */
  smsMaxParts?: number;
}

export interface Rendered {
  text: string;
  parts: string[] | null;
  changes: Array<{ kind: string; detail: string }>;
}

const LIMIT = 4096;

function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('\n'));
  return `${end > max / 2 ? cut.slice(0, end + 1) : cut}…`.trim();
}

export function renderForChannel(channel: string, text: string, opts: RenderOptions): Rendered {
  const changes: Rendered['changes'] = [];
  const { text: linked, removed } = filterLinks(text, opts.links);
  if (removed) changes.push({ kind: 'link_removed', detail: `${removed} link(s) to other domains` });
  if (/<\/?[a-z][^>]*>|&lt;[a-z]/i.test(linked)) changes.push({ kind: 'markup_removed', detail: 'HTML' });
  if (channel === 'sms') {
    const r = renderSms(linked, { maxParts: opts.smsMaxParts, lang: opts.lang });
    if (r.truncated) changes.push({ kind: 'sms_truncated', detail: `cut to ${r.parts.length} part(s)` });
    return { text: r.parts.join('\n'), parts: r.parts.length > 1 ? r.parts : null, changes };
  }
  const clean = tidy(stripHtml(linked));
  if (channel === 'whatsapp') return { text: cap(markdownToWhatsApp(clean), LIMIT), parts: null, changes };
  return { text: cap(clean.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1'), LIMIT), parts: null, changes };
}

/** SMS parts per reply from tenant settings (`smsMaxParts`, 1–10, default 3). */
export function smsMaxParts(settings: Record<string, unknown> | null | undefined): number {
  const v = settings?.smsMaxParts;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10 ? v : 3;
}
