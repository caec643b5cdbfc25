// @ts-check
/**
 * Settings: the business profile the agent's prompt uses (GET/PATCH /api/tenant/profile: name,
 * industry, description, address, phone, website, timezone, languages, persona, escalation rules,
 * debounce, auto-handback) and the opening hours (hours-editor.js). Writes need `settings`
 * (owner/admin); other roles see the values read-only.
 */
import { html, signal, useEffect } from '/web/shared/ui.js';
import { call } from '/web/shared/api.js';
import { attempt, loadable, Notice } from '/web/shared/components.js';
import { can, loadTenant } from '../session.js';
import { HoursEditor } from './hours-editor.js';

const profile = loadable(() => call('GET /api/tenant/profile'));
const note = signal(/** @type {import('/web/shared/components.js').Note} */ (null));
/** The same list as core/services/tenancy/tenants.ts INDUSTRIES, with the words owners use. */
const INDUSTRIES = ['hotels', 'restaurants', 'real_estate', 'car_dealers', 'beauty', 'medical', 'tech', 'law', 'hardware'];
const INDUSTRY_LABEL = /** @type {Record<string, string>} */ ({ beauty: 'salon / beauty', medical: 'clinic / medical', tech: 'tech shop', law: 'law firm', car_dealers: 'car dealer' });
const LANGS = /** @type {const} */ ([['en', 'English'], ['sw', 'Kiswahili'], ['sheng', 'Sheng']]);
const ZONES = ['Africa/Nairobi', 'Africa/Kampala', 'Africa/Dar_es_Salaam', 'Africa/Kigali', 'Africa/Lagos', 'Africa/Johannesburg', 'Africa/Cairo', 'Europe/London', 'UTC'];

function ProfileForm() {
  const p = profile.s.value;
  const writer = can('settings');
  if (p.state === 'loading' && !p.data) return html`<p class="state" role="status">Loading the profile…</p>`;
  if (p.state === 'error' && !p.data) return html`<p class="state error" role="alert">Could not load the profile: ${p.error} <button type="button" onClick=${profile.reload}>Try again</button></p>`;
  const v = p.data;
  if (!v) return null;
  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const f = new FormData(/** @type {HTMLFormElement} */ (e.target));
    const s = (/** @type {string} */ k) => String(f.get(k) ?? '').trim();
    const handback = s('autoHandbackMinutes');
    /** @type {Partial<import('../../types/console-api.js').Profile>} */
    const body = {
      name: s('name'), industry: s('industry'), description: s('description'), address: s('address'), phone: s('phone'), website: s('website'),
      timezone: s('timezone'), languages: /** @type {any} */ (f.getAll('languages').map(String)), persona: s('persona'), escalationRules: s('escalationRules'),
      debounceMs: Math.round(Number(s('debounceSeconds') || 0) * 1000), autoHandbackMinutes: handback ? Number(handback) : null,
    };
    if (!body.languages?.length) return void (note.value = { kind: 'error', text: 'Pick at least one language.' });
    await attempt(note, async () => {
      profile.s.value = { state: 'ready', data: await call('PATCH /api/tenant/profile', { body }) };
      await loadTenant();
    }, 'Profile saved: the agent uses it from the next message.');
  };
  const zones = ZONES.includes(v.timezone) ? ZONES : [v.timezone, ...ZONES];
  return html`<form class="card" onSubmit=${submit} aria-label="Business profile">
    <fieldset disabled=${!writer}>
      <legend>Business profile</legend>
      <label>Business name <input name="name" required maxlength="200" value=${v.name} /></label>
      <label>Industry <select name="industry" value=${v.industry}>${(INDUSTRIES.includes(v.industry) ? INDUSTRIES : [v.industry, ...INDUSTRIES]).map((i) => html`<option value=${i}>${INDUSTRY_LABEL[i] ?? i.replace(/_/g, ' ')}</option>`)}</select></label>
      <label>Description <textarea name="description" rows="3" maxlength="4000" value=${v.description}></textarea></label>
      <label>Address <input name="address" maxlength="500" value=${v.address} /></label>
      <div class="row"><label>Phone <input name="phone" type="tel" maxlength="40" value=${v.phone} /></label>
        <label>Website <input name="website" type="url" maxlength="300" placeholder="https://" value=${v.website} /></label></div>
      <label>Timezone <select name="timezone" value=${v.timezone}>${zones.map((z) => html`<option value=${z}>${z}</option>`)}</select></label>
      <fieldset><legend>Languages the agent speaks</legend>
        ${LANGS.map(([k, label]) => html`<label class="inline"><input type="checkbox" name="languages" value=${k} checked=${v.languages.includes(k)} /> ${label}</label>`)}</fieldset>
      <label>Persona and tone <textarea name="persona" rows="3" maxlength="2000" placeholder="Warm and brief; call guests by name." value=${v.persona}></textarea></label>
      <label>When to hand over to a person <textarea name="escalationRules" rows="3" maxlength="2000" placeholder="Complaints, refunds, group bookings over 10." value=${v.escalationRules}></textarea></label>
      <div class="row"><label>Wait for more messages (seconds) <input name="debounceSeconds" type="number" min="0" max="60" step="0.5" value=${v.debounceMs / 1000} /></label>
        <label>Give back to the AI after (minutes, empty = never) <input name="autoHandbackMinutes" type="number" min="1" max="10080" value=${v.autoHandbackMinutes ?? ''} /></label></div>
      ${writer ? html`<button type="submit">Save profile</button>` : html`<p class="hint">Only owners and admins can change the profile.</p>`}
    </fieldset>
  </form>`;
}

export function View() {
  useEffect(() => {
    void profile.reload();
    if (location.hash === '#hours') requestAnimationFrame(() => document.getElementById('hours')?.scrollIntoView());
  }, []);
  return html`<section>
    <h1>Settings</h1>
    <${Notice} note=${note} />
    <div class="two"><${ProfileForm} /><${HoursEditor} /></div>
  </section>`;
}
