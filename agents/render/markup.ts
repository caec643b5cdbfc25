/**
 * Markup handling shared by the channel renderers: HTML removed (a `<script>`/`<style>` element
 * with its content), markdown either stripped to plain text (SMS) or mapped to a channel's own
 * formatting (WhatsApp: `*bold*`, `_italic_`, `~strike~`, see WhatsApp "Formatting" help).
 * Pure string functions.
 */

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** Remove HTML: script/style elements with their content, then any tag; decode basic entities. */
export function stripHtml(text: string): string {
  return text
    .replace(/<(script|style|iframe|object)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(script|style|iframe|object)\b[^>]*\/?>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e]!)
    .replace(/<\/?[a-z][^>]*>/gi, ''); // tags that were written as entities
}

/** Markdown link/image → "label (url)" / "label", before other rules see the brackets. */
const links = (t: string) => t.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, '$1 ($2)');

/** Markdown → plain text (SMS): no asterisks, underscores for emphasis, headings, fences, tables. */
export function markdownToPlain(text: string): string {
  return links(text)
    .replace(/```[a-z]*\n?([\s\S]*?)```/gi, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '- ')
    .replace(/^\s*([-*_])(\s*\1){2,}\s*$/gm, '')
    .replace(/\|/g, ' ')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])/g, '$1')
    .replace(/(?<![\w_])_(?!\s)([^_\n]+?)_(?![\w_])/g, '$1')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/[*]{2,}/g, '');
}

/** Markdown → WhatsApp formatting: bold (double asterisks or underscores) → *b*, italics → _i_, ~~s~~ → ~s~, headings → *H*. */
export function markdownToWhatsApp(text: string): string {
  const BOLD = '\u0000B';
  return links(text)
    .replace(/```[a-z]*\n?([\s\S]*?)```/gi, '```$1```')
    .replace(/^\s{0,3}#{1,6}\s+(.+)$/gm, `${BOLD}$1${BOLD}`)
    .replace(/(\*\*|__)(.+?)\1/g, `${BOLD}$2${BOLD}`)
    .replace(/(?<![\w*\u0000])\*(?!\s)([^*\n]+?)\*(?![\w*])/g, '_$1_')
    .replace(/~~(.+?)~~/g, '~$1~')
    .replace(/^\s*[-+]\s+/gm, '- ')
    .replace(/\u0000B/g, '*');
}

/** Collapse runs of blank lines and trailing spaces left by the removals. */
export const tidy = (t: string) => t.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').replace(/[ \t]{2,}/g, ' ').trim();
