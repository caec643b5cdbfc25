// @ts-check
/** A console path that names no section. */
import { html } from '/web/shared/ui.js';

export function View() {
  return html`<section><h1>Page not found</h1><p>This address is not part of the console. <a href="/app">Go to the dashboard</a>.</p></section>`;
}
