// @ts-check
/**
 * The UI base: Preact + htm + signals as plain ES modules (served by gateway/routes/web-assets.ts
 * from node_modules; no build step). Every view imports its rendering primitives from here:
 *   import { html, render, signal, computed, useEffect } from '/web/shared/ui.js';
 * `html` is htm bound to Preact's `h`: templates build vnodes, never HTML strings, so text is
 * always escaped (no HTML strings anywhere in admin-web).
 */
import { h, render, Fragment } from '/web/vendor/preact.js';
import htm from '/web/vendor/htm.js';

export { h, render, Fragment };
export { useState, useEffect, useRef, useMemo, useCallback } from '/web/vendor/preact-hooks.js';
export { signal, computed, effect, batch, useSignal, useComputed, useSignalEffect } from '/web/vendor/signals.js';

/** Tagged template → Preact vnode(s). */
export const html = htm.bind(h);
