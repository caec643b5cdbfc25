// @ts-check
/**
 * The signed-in platform user and the message on the sign-in form, as signals the shell reads.
 * `me` is undefined while the first /api/auth/me is in flight, null when signed out.
 */
import { signal } from '/web/shared/ui.js';

/** @typedef {import('./types.d.ts').Me} Me */

/** @type {import('/web/vendor/signals.js').Signal<Me | null | undefined>} */
export const me = signal(undefined);
export const loginMessage = signal('');

/** Show the sign-in form with `message` (the session cookie is already gone or is being dropped). */
export function endSession(message = '') {
  loginMessage.value = message;
  me.value = null;
}

/** Roles that manage money (rates, commissions, payments, cancellations). */
export const canManage = (/** @type {Me} */ u) => u.role === 'owner' || u.role === 'admin';
