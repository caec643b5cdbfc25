// Platform admin helpers: the shared REST client (./shared/api.js) and display formatting.
export { api } from './shared/api.js';

/** KES cents → "KES 12,500". */
export const kes = (cents) => `KES ${Math.round((cents ?? 0) / 100).toLocaleString('en-US')}`;
export const pct = (f) => (f == null ? '–' : `${(f * 100).toFixed(1)}%`);
export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
export const $ = (id) => document.getElementById(id);
