// @ts-check
/**
 * One channel card in Channels (ported from admin-web/inbox/channels.js, data-testids kept for
 * test/e2e/whatsapp-link.e2e.test.ts). For a WhatsApp number and a role that may link (settings):
 * the QR code (GET /api/tenant/channels/:id/link renders it as a data: URL), a "link with phone
 * number" form that shows the pairing code, and "Link WhatsApp" to start again. Statuses update
 * from live events; while linking the card also polls every 2.5 s (QR codes rotate ~20 s).
 */
import { html, useEffect, useRef, useSignal } from '/web/shared/ui.js';
import { call, errorText } from '/web/shared/api.js';
import { onLive } from '/web/shared/live.js';

export const TYPE_LABEL = /** @type {Record<string, string>} */ ({ sms: 'SMS', whatsapp: 'WhatsApp', webchat: 'Web chat' });
const STATUS_LABEL = /** @type {Record<string, string>} */ ({
  active: 'Active', idle: 'Not linked', standby: 'Connecting', linking: 'Waiting to be linked', connecting: 'Connecting',
  connected: 'Connected', reconnecting: 'Reconnecting', logged_out: 'Logged out', stopped: 'Stopped', disabled: 'Disabled',
});
const POLL_MS = 2500;

/**
 * @param {{ ch: import('../../types/console-api.js').Channel, canLink: boolean, children?: any }} p
 */
export function ChannelCard({ ch, canLink, children }) {
  const linkable = ch.type === 'whatsapp' && canLink && !!ch.link;
  const view = useSignal(/** @type {import('../../types/console-api.js').LinkView | null} */ (null));
  const err = useSignal('');
  const listStatus = ch.link?.status ?? (ch.enabled === false ? 'disabled' : ch.status);
  const isLinking = view.value?.status === 'linking';
  /** Re-fetch now (set by the effect): the link state moves on right after a request returns. */
  const later = useRef(() => {});
  // Answers can arrive out of order (a live event's re-fetch overtaking a POST): newest request wins.
  const seq = useRef(0);
  const applied = useRef(0);
  /** @param {number} n @param {import('../../types/console-api.js').LinkView} v */
  const apply = (n, v) => {
    if (n <= applied.current) return;
    applied.current = n;
    view.value = v;
  };

  useEffect(() => {
    if (!linkable) return;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    let stopped = false;
    const refresh = async () => {
      clearTimeout(timer);
      const n = ++seq.current;
      try {
        apply(n, await call('GET /api/tenant/channels/:id/link', { params: { id: ch.id } }));
        err.value = '';
      } catch (e) {
        err.value = errorText(e);
      }
      if (!stopped && view.value?.status === 'linking') timer = setTimeout(refresh, POLL_MS);
    };
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let fallback;
    // Now, and once more a poll later in case the state moved on without a live event.
    later.current = () => {
      void refresh();
      clearTimeout(fallback);
      fallback = setTimeout(refresh, POLL_MS);
    };
    void refresh();
    const off = onLive((type, ev) => {
      if (type.startsWith('whatsapp.') && (!ev?.channelId || ev.channelId === ch.id)) void refresh();
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(fallback);
      off();
    };
  }, [ch.id, linkable, ch.link?.status, isLinking]);

  /** @param {() => Promise<import('../../types/console-api.js').LinkView>} fn */
  const act = async (fn) => {
    err.value = '';
    const n = ++seq.current;
    try {
      apply(n, await fn());
      later.current();
    } catch (e) {
      err.value = errorText(e);
      later.current();
    }
  };
  // Not optimistic: "Waiting to be linked" means the socket is up and a QR code is coming.
  const startLinking = () => act(() => call('POST /api/tenant/channels/:id/link', { params: { id: ch.id } }));
  const v = linkable ? view.value ?? ch.link ?? { status: 'idle' } : null;
  const status = v?.status ?? listStatus;
  const linking = status === 'linking';
  const reason = v?.reason ?? ch.link?.reason;
  /** @param {SubmitEvent} e */
  const pair = (e) => {
    e.preventDefault();
    const phone = String(new FormData(/** @type {HTMLFormElement} */ (e.target)).get('phone') ?? '').replace(/[\s-]/g, '');
    void act(() => call('POST /api/tenant/channels/:id/pairing-code', { params: { id: ch.id }, body: { phone } }));
  };
  return html`<li class="channel" data-testid="channel" data-id=${ch.id} data-type=${ch.type} data-status=${status}>
    <div class="head"><strong>${TYPE_LABEL[ch.type] ?? ch.type} <span class="hint">${ch.address}</span></strong>
      <span class=${`badge ${status}`} data-testid="channel-status" title=${reason ? String(reason).replace(/_/g, ' ') : ''}>${STATUS_LABEL[status] ?? status}</span></div>
    ${v ? html`<div class="link-box">
      ${v.qr ? html`<img class="qr" src=${v.qr} alt="WhatsApp QR code: scan it to link this number" data-testid="channel-qr" />` : null}
      ${linking ? html`<ol class="steps">
          <li>On the business phone open WhatsApp → Settings → Linked devices → Link a device.</li>
          <li>Scan this code, or choose “Link with phone number instead” and use the form below.</li></ol>
        <form class="row" aria-label="Link with phone number" onSubmit=${pair}>
          <label>Link with phone number <input name="phone" type="tel" inputmode="tel" autocomplete="tel" required placeholder="+254712345678" data-testid="channel-phone" /></label>
          <button type="submit" data-testid="channel-pair">Get pairing code</button>
        </form>` : null}
      ${v.pairingCode ? html`<output class="code" data-testid="channel-pairing-code" aria-live="polite">${v.pairingCode.replace(/^(.{4})(.{4})$/, '$1-$2')}</output>` : null}
      ${linking || ['connected', 'connecting', 'reconnecting', 'standby'].includes(status) ? null
        : html`<button type="button" data-testid="channel-link" onClick=${startLinking}>Link WhatsApp</button>`}
      <p class="error" role="alert">${err.value}</p>
    </div>` : null}
    ${children}
  </li>`;
}
