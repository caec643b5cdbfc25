// @ts-check
/**
 * Dashboard: the first-run checklist (GET /api/tenant/onboarding: profile → hours → knowledge →
 * prices → a channel → test your agent, each ticked when done, each linking to where it is done)
 * and "Test your agent" (playground.js).
 */
import { html, useEffect } from '/web/shared/ui.js';
import { call } from '/web/shared/api.js';
import { ListState, loadable } from '/web/shared/components.js';
import { Playground } from './playground.js';
import { can } from '../session.js';

/** Where each step is done. */
const WHERE = /** @type {Record<string, string>} */ ({
  profile: '/app/settings', hours: '/app/settings#hours', knowledge: '/app/knowledge', prices: '/app/catalog', channel: '/app/channels', test: '#playground',
});
export const onboarding = loadable(async () => (await call('GET /api/tenant/onboarding')).steps);

export function View() {
  useEffect(() => void onboarding.reload(), []);
  const steps = onboarding.s.value.data ?? [];
  const done = steps.filter((s) => s.done).length;
  return html`<section>
    <h1>Dashboard</h1>
    <div class="two">
      <div>
        <h2>Get your AI front desk ready${steps.length ? ` (${done} of ${steps.length})` : ''}</h2>
        <${ListState} load=${onboarding.s} empty="Nothing to set up." label="the checklist" retry=${onboarding.reload}>
          ${(/** @type {import('../../types/console-api.js').Onboarding['steps']} */ items) => html`<ol class="checklist" data-testid="checklist">
            ${items.map((s) => html`<li data-step=${s.key} data-done=${String(s.done)}>
              <span class="tick" aria-hidden="true">${s.done ? '✓' : ''}</span>
              <a href=${WHERE[s.key] ?? '/app'}>${s.label}</a>
              <span class="sr-only">${s.done ? 'done' : 'to do'}</span>
            </li>`)}
          </ol>`}
        <//>
      </div>
      <div id="playground">${can('settings') ? html`<${Playground} onRun=${() => onboarding.reload()} />`
        : html`<div class="card"><h2>Test your agent</h2><p class="hint">Owners and admins can test the agent here.</p></div>`}</div>
    </div>
  </section>`;
}
