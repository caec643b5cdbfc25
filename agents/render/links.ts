/**
 * Links only to the tenant's own domains: the profile website and the links the platform
 * generates (PUBLIC_URL: booking and payment pages). Any other `http(s)://…` or `www.…` link is
 * removed from the text (a markdown link keeps its label). A host is allowed when it equals an
 * allowed host or is a subdomain of one.
 */

export interface LinkPolicy {
  /** Allowed hosts, lower case, without "www." (e.g. "hotel.co.ke", "aizalo.example"). */
  hosts: string[];
}

/** Hosts from URLs or bare domains ("https://www.hotel.co.ke/x" → "hotel.co.ke"); invalid ones skipped. */
export function hostsOf(...urls: Array<string | undefined | null>): string[] {
  const out: string[] = [];
  for (const u of urls) {
    if (!u || typeof u !== 'string') continue;
    try {
      out.push(new URL(/^[a-z]+:\/\//i.test(u) ? u : `https://${u}`).hostname.toLowerCase().replace(/^www\./, ''));
    } catch {
      // not a URL: nothing to allow
    }
  }
  return [...new Set(out)];
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>()"'\]]+/gi;

const allowed = (raw: string, p: LinkPolicy) => {
  const [host] = hostsOf(raw.replace(/[.,;:!?]+$/, ''));
  return !!host && p.hosts.some((h) => host === h || host.endsWith(`.${h}`));
};

/** @returns the text without foreign links and how many were removed. */
export function filterLinks(text: string, p: LinkPolicy): { text: string; removed: number } {
  let removed = 0;
  const md = text.replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (m, label: string, url: string) => {
    if (allowed(url, p)) return m;
    removed++;
    return label;
  });
  const out = md.replace(URL_RE, (u) => {
    if (allowed(u, p)) return u;
    removed++;
    return '';
  });
  return { text: out.replace(/\(\s*\)/g, '').replace(/[ \t]{2,}/g, ' '), removed };
}
