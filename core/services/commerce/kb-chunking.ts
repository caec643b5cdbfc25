/**
 * Splitting a knowledge-base document into retrievable chunks (≤ ~800 characters each):
 *  - `faq`: one chunk per question/answer pair (`Q:`/`A:` lines, or `#`-headings as questions);
 *  - `markdown`: sections under their heading path, long sections split by paragraph;
 *  - `text`: paragraphs packed up to the limit; an over-long paragraph split by sentence;
 *  - `csv`: one chunk per row (kb-csv.ts).
 */
import { csvChunks } from './kb-csv.ts';

export type KbFormat = 'text' | 'markdown' | 'faq' | 'csv';

export const CHUNK_CHARS = 800;

function pack(paragraphs: string[], prefix = ''): string[] {
  const out: string[] = [];
  let cur = '';
  const pieces = paragraphs.flatMap((p) =>
    p.length <= CHUNK_CHARS ? [p] : (p.match(/[^.!?]+[.!?]*\s*/g) ?? [p]).map((s) => s.trim()).filter(Boolean),
  );
  for (const piece of pieces) {
    const next = cur ? `${cur}\n\n${piece}` : piece;
    if (next.length > CHUNK_CHARS && cur) {
      out.push(prefix + cur);
      cur = piece.slice(0, CHUNK_CHARS * 2);
    } else cur = next.slice(0, CHUNK_CHARS * 2);
  }
  if (cur) out.push(prefix + cur);
  return out;
}

const paragraphsOf = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

function faqChunks(body: string): string[] {
  const pairs: string[] = [];
  let q = '';
  let a: string[] = [];
  const flush = () => {
    if (q || a.length) pairs.push([q && `Q: ${q}`, a.length ? `A: ${a.join(' ')}` : ''].filter(Boolean).join('\n'));
    q = '';
    a = [];
  };
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const qm = /^(?:q(?:uestion)?\s*[:.)-]|#+\s+)(.*)$/i.exec(line);
    const am = /^a(?:nswer)?\s*[:.)-]\s*(.*)$/i.exec(line);
    if (qm) {
      flush();
      q = qm[1]!.trim();
    } else if (am) a.push(am[1]!.trim());
    else a.push(line);
  }
  flush();
  return pairs.length > 1 ? pairs.map((p) => p.slice(0, CHUNK_CHARS * 2)) : pack(paragraphsOf(body));
}

function markdownChunks(body: string): string[] {
  const out: string[] = [];
  const path: string[] = [];
  let buf: string[] = [];
  const flush = () => {
    const text = buf.join('\n').trim();
    if (text) out.push(...pack(paragraphsOf(text), path.length ? `${path.join(' › ')}\n` : ''));
    buf = [];
  };
  for (const line of body.split('\n')) {
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      path.length = Math.min(path.length, h[1]!.length - 1);
      path.push(h[2]!.trim());
    } else buf.push(line);
  }
  flush();
  return out;
}

/** Chunks of a document, in order; empty input → []. */
export function chunkDocument(format: KbFormat, body: string): string[] {
  const text = body.replace(/\r\n?/g, '\n').trim();
  if (!text) return [];
  if (format === 'faq') return faqChunks(text);
  if (format === 'markdown') return markdownChunks(text);
  if (format === 'csv') return csvChunks(text);
  return pack(paragraphsOf(text));
}
