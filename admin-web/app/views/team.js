// @ts-check
/**
 * Team: the business's users (GET /api/tenant/users, paginated by cursor) with role and status;
 * invite by email (and phone) with a role — the invite email carries /app/invite?token=…&tenant=;
 * resend or revoke an invite, change a role, deactivate; owner only: transfer ownership.
 * Writes need `users` (owner/admin).
 */
import { html, signal, useEffect } from '/web/shared/ui.js';
import { call } from '/web/shared/api.js';
import { attempt, clearFields, ListState, loadable, Notice, Pager } from '/web/shared/components.js';
import { can, me } from '../session.js';

/** @typedef {import('../../types/console-api.js').TenantUser} Member */
const PAGE = 50;
const cursors = signal(/** @type {string[]} */ ([]));
const team = loadable(() => call('GET /api/tenant/users', { query: { limit: PAGE, cursor: cursors.value.at(-1) } }));
const note = signal(/** @type {import('/web/shared/components.js').Note} */ (null));
const ROLES = /** @type {const} */ (['admin', 'staff', 'viewer']);
const ROLE_HELP = { admin: 'everything but billing', staff: 'answers conversations and bookings', viewer: 'reads only' };

/** @param {{ m: Member }} p */
function MemberItem({ m }) {
  const writer = can('users');
  const self = m.id === me.value?.user.id;
  const reload = () => team.reload();
  const who = m.name || m.email;
  /** @param {Event} e */
  const setRole = (e) => {
    const role = /** @type {typeof ROLES[number]} */ (/** @type {HTMLSelectElement} */ (e.target).value);
    void attempt(note, async () => { await call('PATCH /api/tenant/users/:id', { params: { id: m.id }, body: { role } }); await reload(); }, `${who} is now ${role}.`);
  };
  const resend = () => attempt(note, () => call('POST /api/tenant/users/:id/resend-invite', { params: { id: m.id } }), `A new invite went to ${m.email}.`);
  const remove = () => confirm(m.status === 'invited' ? `Revoke the invite to ${m.email}?` : `Deactivate ${who}? They are signed out at once.`) &&
    attempt(note, async () => { await call('DELETE /api/tenant/users/:id', { params: { id: m.id } }); await reload(); }, m.status === 'invited' ? `Invite to ${m.email} revoked.` : `${who} deactivated.`);
  const reactivate = () => attempt(note, async () => { await call('PATCH /api/tenant/users/:id', { params: { id: m.id }, body: { active: true } }); await reload(); }, `${who} can sign in again.`);
  const transfer = () => confirm(`Make ${who} the owner? You become an admin.`) &&
    attempt(note, async () => { await call('POST /api/tenant/owner-transfer', { body: { userId: m.id } }); location.reload(); }, `${who} is now the owner.`);
  const editable = writer && !self && m.role !== 'owner';
  return html`<li data-testid="member" data-email=${m.email} data-status=${m.status}>
    <div class="head"><strong>${who}${self ? ' (you)' : ''}</strong><span class=${`badge ${m.status}`}>${m.status}</span></div>
    <span class="hint">${m.email}${m.phone ? ` · ${m.phone}` : ''}</span>
    <div class="actions">
      ${editable && m.status !== 'deactivated'
        ? html`<label class="inline">Role <select value=${m.role} onChange=${setRole}>${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}</select></label>`
        : html`<span class="badge">${m.role}</span>`}
      ${editable && m.status === 'invited' ? html`<button type="button" onClick=${resend}>Resend invite</button><button type="button" class="danger" onClick=${remove}>Revoke invite</button>` : null}
      ${editable && m.status === 'active' ? html`<button type="button" class="danger" onClick=${remove}>Deactivate</button>` : null}
      ${editable && m.status === 'deactivated' ? html`<button type="button" onClick=${reactivate}>Reactivate</button>` : null}
      ${can('owner') && !self && m.role !== 'owner' && m.status === 'active' ? html`<button type="button" onClick=${transfer}>Make owner</button>` : null}
    </div>
  </li>`;
}

function Invite() {
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    const f = new FormData(form);
    const email = String(f.get('email') ?? '').trim();
    const phone = String(f.get('phone') ?? '').replace(/[\s-]/g, '');
    const name = String(f.get('name') ?? '').trim();
    const role = /** @type {typeof ROLES[number]} */ (String(f.get('role')));
    const ok = await attempt(note, async () => {
      await call('POST /api/tenant/users', { body: { email, role, ...(phone ? { phone } : {}), ...(name ? { name } : {}) } });
      await team.reload();
    }, `Invite sent to ${email}.`);
    if (ok) clearFields(form, ['email', 'name', 'phone']);
  };
  return html`<form class="card" onSubmit=${submit} aria-label="Invite someone">
    <label>Email <input name="email" type="email" required autocomplete="off" /></label>
    <label>Name (optional) <input name="name" maxlength="200" /></label>
    <label>Phone (optional) <input name="phone" type="tel" placeholder="+254712345678" /></label>
    <label>Role <select name="role">${ROLES.map((r) => html`<option value=${r} selected=${r === 'staff'}>${r} — ${ROLE_HELP[r]}</option>`)}</select></label>
    <button type="submit">Send invite</button>
  </form>`;
}

export function View() {
  useEffect(() => {
    cursors.value = [];
    void team.reload();
  }, []);
  const data = team.s.value.data;
  const pageNo = cursors.value.length + 1;
  return html`<section>
    <h1>Team</h1>
    <${Notice} note=${note} />
    <div class="two">
      <div>
        <${ListState} load=${{ value: { ...team.s.value, data: data?.items } }} empty="Nobody yet." label="the team" retry=${team.reload}>
          ${(/** @type {Member[]} */ rows) => html`<ul class="items">${rows.map((m) => html`<${MemberItem} key=${m.id} m=${m} />`)}</ul>`}
        <//>
        <${Pager} page=${pageNo} hasMore=${!!data?.nextCursor} label="Team pages"
          onPage=${(/** @type {number} */ n) => { cursors.value = n > pageNo ? [...cursors.value, data?.nextCursor ?? ''] : cursors.value.slice(0, n - 1); void team.reload(); }} />
      </div>
      ${can('users') ? html`<div><h2>Invite someone</h2><${Invite} /></div>` : null}
    </div>
  </section>`;
}
