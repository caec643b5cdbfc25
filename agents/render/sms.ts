/**
 * SMS rendering after the answer guard: markdown and HTML stripped, foreign links removed, and
 * the text split at sentence boundaries into at most `maxParts` messages (default 3) of at most
 * `maxChars` characters each (default 1,600: Twilio's Body limit, see Twilio "Messages
 * resource"). What does not fit is cut at a sentence boundary and the last part ends with a
 * short line, in the customer's language, offering the rest. Each part's GSM-7 / UCS-2 segment
 * count is reported (sms-segments.ts).
 */
import { sentences } from '../guard/claims.ts';
import { markdownToPlain, stripHtml, tidy } from './markup.ts';
import { smsSegments } from './sms-segments.ts';

export interface SmsOptions {
  maxParts?: number;
  maxChars?: number;
  lang?: string;
}

export interface SmsRender {
  parts: string[];
  /** Network segments per part. */
  segments: number[];
  /** Text was cut to fit `maxParts`. */
  truncated: boolean;
}

const MORE: Record<string, string> = {
  en: '(Reply MORE for the rest.)',
  sw: '(Jibu ZAIDI kupata sehemu iliyobaki.)',
  sheng: '(Reply MORE upate zingine.)',
};

/** Pieces no longer than `max`: sentences, and over-long sentences cut at word boundaries. */
function pieces(text: string, max: number): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n/)) {
    const ss = sentences(line);
    ss.forEach((s, i) => {
      let rest = s + (i === ss.length - 1 ? '\n' : ' ');
      while (rest.length > max) {
        const cut = rest.lastIndexOf(' ', max - 1);
        const at = cut > max / 2 ? cut + 1 : max;
        out.push(rest.slice(0, at));
        rest = rest.slice(at);
      }
      out.push(rest);
    });
  }
  return out;
}

export function renderSms(text: string, opts: SmsOptions = {}): SmsRender {
  const maxParts = Math.max(1, opts.maxParts ?? 3);
  const maxChars = Math.max(160, opts.maxChars ?? 1600);
  const more = MORE[opts.lang ?? 'en'] ?? MORE.en!;
  const plain = tidy(markdownToPlain(stripHtml(text)));
  const parts: string[] = [];
  let cur = '';
  let truncated = false;
  const list = pieces(plain, maxChars);
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (cur.length + p.length <= maxChars) {
      cur += p;
      continue;
    }
    if (parts.length + 1 >= maxParts) {
      truncated = true;
      break;
    }
    parts.push(cur.trim());
    cur = p;
  }
  if (truncated) {
    // Room for the offer line in the last part: drop trailing pieces until it fits.
    while (cur.length + more.length + 1 > maxChars) {
      const cut = Math.max(cur.lastIndexOf('. ', cur.length - 2), cur.lastIndexOf('\n', cur.length - 2));
      cur = cut > 0 ? cur.slice(0, cut + 1) : cur.slice(0, maxChars - more.length - 2);
    }
    cur = `${cur.trim()}\n${more}`;
  }
  if (cur.trim()) parts.push(cur.trim());
  const out = parts.filter(Boolean);
  return { parts: out, segments: out.map((p) => smsSegments(p).segments), truncated };
}
