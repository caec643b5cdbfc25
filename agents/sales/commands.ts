/**
 * Slash commands of the sales assistant. Arguments are separated by `;`.
 *   /onboard <business>; <industry>; <owner phone>; <owner email>; <plan>
 *   /clients   /leads   /lead <name>; <phone>; <industry>   /commission   /help
 */

export type SalesCommand =
  | { name: 'onboard'; business: string; industry: string; ownerPhone: string; ownerEmail: string; plan: string }
  | { name: 'lead'; leadName: string; phone?: string; industry?: string }
  | { name: 'clients' | 'leads' | 'commission' | 'help' };

export const USAGE = {
  onboard: 'Usage: /onboard <business>; <industry>; <owner phone>; <owner email>; <plan>\nExample: /onboard Mama Oliech Restaurant; restaurants; +254712345678; owner@example.com; starter',
  lead: 'Usage: /lead <name>; <phone>; <industry>\nExample: /lead Sunrise Salon; +254722000111; beauty',
};

export const HELP = [
  'Aizalo sales assistant. Commands:',
  '/onboard <business>; <industry>; <owner phone>; <owner email>; <plan> - sign up a business (14-day trial)',
  '/clients - your businesses',
  '/leads - your sales leads',
  '/lead <name>; <phone>; <industry> - add a lead',
  '/commission - your commission',
  '/help - this list',
  'You can also just write, e.g. "how much commission have I made?"',
].join('\n');

/** Parse a message. @returns a command, `{ usage }` for a malformed one, or null for free text. */
export function parseCommand(text: string): SalesCommand | { usage: string } | null {
  const m = /^\/([a-z]+)\b\s*([\s\S]*)$/i.exec(text.trim());
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  const args = m[2]!.split(';').map((s) => s.trim());
  switch (name) {
    case 'onboard': {
      if (args.length !== 5 || args.some((a) => !a)) return { usage: USAGE.onboard };
      const [business, industry, ownerPhone, ownerEmail, plan] = args as [string, string, string, string, string];
      return { name, business, industry, ownerPhone, ownerEmail, plan };
    }
    case 'lead':
      if (!args[0] || args.length > 3) return { usage: USAGE.lead };
      return { name, leadName: args[0], phone: args[1] || undefined, industry: args[2] || undefined };
    case 'clients':
    case 'leads':
    case 'commission':
    case 'help':
      return { name };
    default:
      return { usage: `Unknown command /${name}.\n${HELP}` };
  }
}
