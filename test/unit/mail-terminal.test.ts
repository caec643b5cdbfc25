/**
 * Zero-setup mail (no SMTP_URL): core/mail.ts prints the whole message as one plain block (so the
 * person at the terminal can open the link) and logs who it was for; nothing is sent anywhere.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createMailer } from '../../core/mail.ts';

describe('createMailer without SMTP_URL', () => {
  it('prints the message with its link and logs the recipient and subject', async () => {
    const logLines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logLines.push(String(c)), cb()) }));
    let printed = '';
    const mailer = createMailer({ mailFrom: 'Aizalo <no-reply@localhost>' }, log, { write: (s: string) => (printed += s) });
    expect(mailer.kind).toBe('terminal');
    await mailer.send({ to: 'owner@demo.local', subject: 'Reset your password', text: 'Open this link:\n\nhttp://localhost:3000/app/reset?token=abc&tenant=demo' });
    expect(printed).toContain('To: owner@demo.local');
    expect(printed).toContain('Subject: Reset your password');
    expect(printed).toContain('\nhttp://localhost:3000/app/reset?token=abc&tenant=demo\n');
    expect(printed).toContain('SMTP_URL is not set');
    const entry = JSON.parse(logLines.at(-1)!);
    expect(entry).toMatchObject({ to: 'owner@demo.local', subject: 'Reset your password', component: 'mail' });
    expect(logLines.join('')).not.toContain('token=abc'); // the link is not in the logs
  });
});
