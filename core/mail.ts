/**
 * Outgoing email (invites, password resets) through SMTP with nodemailer.
 *
 * `createMailer({ smtpUrl, mailFrom }, log)`:
 *  - SMTP_URL set → one pooled nodemailer transport (`smtp://user:pass@host:587`,
 *    `smtps://…:465`; URL format per nodemailer's SMTP transport docs);
 *  - unset (zero-setup mode) → the mail is not sent but printed: one structured log line (to, subject)
 *    and a plain block on stdout with the whole text, so the person at the terminal can click the
 *    link. Nothing in the product depends on a mail server being configured.
 *
 * `send` resolves once the SMTP server accepted the message (or the block was printed).
 * @throws the transport's error (connection refused, auth failure, rejected recipient) — callers
 *   decide whether a failed mail fails their request (invites log it and stay resendable).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from './logger.ts';

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain-text body; links on lines of their own so every mail client makes them clickable. */
  text: string;
}

export interface Mailer {
  /** 'smtp' when SMTP_URL is set, 'terminal' in zero-setup mode. */
  kind: 'smtp' | 'terminal';
  send(msg: MailMessage): Promise<void>;
  close(): void;
}

export interface MailConfig {
  smtpUrl?: string;
  mailFrom: string;
}

/** @param out where the zero-setup block goes (default process.stdout; tests pass a collector). */
export function createMailer(cfg: MailConfig, log: Logger, out: { write(s: string): unknown } = process.stdout): Mailer {
  const mlog = log.child({ component: 'mail' });
  if (!cfg.smtpUrl) {
    return {
      kind: 'terminal',
      async send(msg) {
        mlog.info({ to: msg.to, subject: msg.subject }, 'mail printed to the terminal (SMTP_URL is not set)');
        const rule = '-'.repeat(72);
        out.write(`\n${rule}\nMail (not sent: SMTP_URL is not set)\nFrom: ${cfg.mailFrom}\nTo: ${msg.to}\nSubject: ${msg.subject}\n\n${msg.text}\n${rule}\n\n`);
      },
      close() {},
    };
  }
  const transport: Transporter = nodemailer.createTransport(cfg.smtpUrl, { from: cfg.mailFrom });
  return {
    kind: 'smtp',
    async send(msg) {
      const info = await transport.sendMail({ from: cfg.mailFrom, to: msg.to, subject: msg.subject, text: msg.text });
      mlog.info({ to: msg.to, subject: msg.subject, messageId: info.messageId }, 'mail sent');
    },
    close() {
      transport.close();
    },
  };
}
