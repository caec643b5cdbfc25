// @ts-check
/** The tenant console's entry point: mounts the app shell into #root. */
import { html, render, signal } from '/web/shared/ui.js';

const clicks = signal(0);

function Shell() {
  return html`<main><h1>Aizalo console</h1><button type="button" onClick=${() => clicks.value++}>Clicked ${clicks}</button></main>`;
}

const root = document.getElementById('root');
if (root) render(html`<${Shell} />`, root);
