/**
 * Channel renderers after the guard: SMS plain text (markdown and HTML gone), GSM-7 / UCS-2
 * segment counts, ≤ 1,600 characters per part, at most the configured parts with an offer to
 * continue; WhatsApp formatting and its 4,096 limit; web chat without HTML; links only to the
 * tenant's own domains.
 */
import { describe, expect, it } from 'vitest';
import { filterLinks, hostsOf } from '../../agents/render/links.ts';
import { renderForChannel } from '../../agents/render/index.ts';
import { renderSms } from '../../agents/render/sms.ts';
import { smsSegments } from '../../agents/render/sms-segments.ts';

const opts = { links: { hosts: hostsOf('https://www.hotel.co.ke', 'https://aizalo.test') }, lang: 'en' };

describe('SMS', () => {
  it('strips markdown and HTML, script content included', () => {
    const r = renderForChannel('sms', '## Offer\n**Big** _deal_ on `rooms`! <script>alert(1)</script><b>Now</b>', opts);
    expect(r.text).toBe('Offer\nBig deal on rooms! Now');
    expect(r.parts).toBeNull();
    expect(r.changes.map((c) => c.kind)).toContain('markup_removed');
  });

  it('counts GSM-7 and UCS-2 segments', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('Karibu 😊')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(smsSegments('ā'.repeat(71))).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('splits a 20,000-character reply at sentence boundaries into at most 3 parts of ≤ 1,600 characters, offering the rest', () => {
    const sentence = (i: number) => `This is sentence number ${i} about our rooms and services.`;
    const text = Array.from({ length: 400 }, (_, i) => sentence(i)).join(' ');
    expect(text.length).toBeGreaterThan(20_000);
    const r = renderSms(text, { maxParts: 3 });
    expect(r.parts).toHaveLength(3);
    expect(r.truncated).toBe(true);
    for (const p of r.parts) expect(p.length).toBeLessThanOrEqual(1600);
    for (const p of r.parts.slice(0, 2)) expect(p).toMatch(/services\.$/);
    expect(r.parts[2]).toMatch(/services\.\n\(Reply MORE for the rest\.\)$/);
    expect(renderSms(text, { maxParts: 2 }).parts).toHaveLength(2);
  });

  it('keeps a short reply as one part and the offer in the customer language', () => {
    expect(renderSms('Hello.').parts).toEqual(['Hello.']);
    expect(renderSms('Habari. '.repeat(700), { maxParts: 1, lang: 'sw' }).parts[0]).toMatch(/ZAIDI/);
  });
});

describe('WhatsApp and web chat', () => {
  it('maps markdown to WhatsApp formatting', () => {
    expect(renderForChannel('whatsapp', '# Menu\n**Bold** and *italic* and ~~old~~', opts).text).toBe('*Menu*\n*Bold* and _italic_ and ~old~');
  });

  it('caps WhatsApp at 4,096 characters', () => {
    expect(renderForChannel('whatsapp', 'Word. '.repeat(2000), opts).text.length).toBeLessThanOrEqual(4096);
  });

  it('web chat keeps the markdown subset as text but drops HTML', () => {
    expect(renderForChannel('webchat', '**Hi** <img src=x onerror=alert(1)>there', opts).text).toBe('**Hi** there');
  });
});

describe('links', () => {
  it('keeps links to the tenant and platform domains (and subdomains), removes the rest', () => {
    const r = filterLinks('Book at https://hotel.co.ke/book or https://pay.aizalo.test/p/1, not https://evil.example/x or www.scam.biz. [Click](https://evil.example)', opts.links);
    expect(r.text).toContain('https://hotel.co.ke/book');
    expect(r.text).toContain('https://pay.aizalo.test/p/1');
    expect(r.text).not.toMatch(/evil|scam/);
    expect(r.text).toContain('Click');
    expect(r.removed).toBe(3);
  });
});
