/**
 * What `npm start` tells the person at the terminal, as one plain-text block written to stdout
 * apart from the logs (which are JSON lines, or pino-pretty in a terminal): where the business
 * console (/app) and the platform admin (/admin) are, the logins seeded on a fresh database, how
 * mail is delivered, and how to get a lost login back. Also the message for a port that is taken.
 */
import type { Config } from '../../core/config.ts';

export interface BannerInput {
  cfg: Config;
  /** The address the gateway listens on (undefined: a worker process without HTTP). */
  listening?: string;
  queueKind: string;
  llmProviders: string[];
  mailKind: 'smtp' | 'terminal';
  /** Logins created on an empty database (seedDemo). */
  seeded?: { email: string; password: string; ownerEmail: string };
  hasDocs: boolean;
}

export const RESET_HINT = 'npx aizalo user reset-password --email E [--tenant S]';

/** The banner text (lines joined with \n, framed by rules). */
export function startBanner(b: BannerInput): string {
  const base = b.cfg.publicUrl;
  const mode = b.cfg.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${b.cfg.dataDir}`;
  const rule = '='.repeat(76);
  const lines = [
    rule,
    `Aizalo is running on ${b.listening ?? 'no HTTP (worker process)'}`,
    `  (${mode}; queue: ${b.queueKind}; LLM providers: ${b.llmProviders.join(', ') || 'none'})`,
    '',
    `  Business console (owners, staff):  ${base}/app${b.seeded ? '?tenant=demo' : ''}`,
    `  Platform admin (Aizalo team):      ${base}/admin`,
    `  Web chat of the demo business:     ${base}/chat/demo`,
    ...(b.hasDocs ? [`  API reference:                     ${base}/docs`] : []),
    '',
  ];
  if (b.seeded) {
    lines.push(`  Admin login (platform owner): ${b.seeded.email} / ${b.seeded.password}`);
    lines.push(`  Tenant login (demo owner):    ${b.seeded.ownerEmail} / ${b.seeded.password}   (Business: demo)`);
  } else lines.push('  Logins: the users you created (aizalo user create ...); nothing was seeded.');
  lines.push(`  Lost a login?  ${RESET_HINT}`);
  lines.push(
    b.mailKind === 'smtp'
      ? '  Email: invites and password resets go out through SMTP_URL.'
      : '  Email: SMTP_URL is not set, so invites and password resets are printed here.',
  );
  if (!b.llmProviders.length) lines.push('  No LLM key set: replies come from the offline fallback. Set GEMINI_API_KEY (and GROQ_API_KEY) for AI replies.');
  lines.push(rule);
  return `\n${lines.join('\n')}\n\n`;
}

/** The one-paragraph answer to EADDRINUSE / EACCES on listen, naming the variable to change. */
export function listenFailure(cfg: Config, code: string): string {
  const where = `${cfg.host}:${cfg.port}`;
  const why =
    code === 'EACCES'
      ? `Not allowed to listen on ${where} (ports below 1024 need privileges).`
      : code === 'EADDRNOTAVAIL'
        ? `HOST ${cfg.host} is not an address of this machine; set HOST (e.g. 0.0.0.0 or 127.0.0.1).`
        : `Port ${cfg.port} is already in use on ${cfg.host} (is another Aizalo or another server running?).`;
  return `aizalo: ${why}\n  Set PORT to a free port, e.g.  PORT=${cfg.port === 3000 ? 3001 : cfg.port + 1} npm start  (HOST picks the interface; PUBLIC_URL the address others use).`;
}
