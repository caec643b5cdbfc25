// Tiny DOM helpers shared by the admin apps: `$` by id, `el(tag, attrs, ...children)` builds an
// element with attributes set via setAttribute and children appended as nodes or text (never HTML).
export const $ = (id) => document.getElementById(id);
export const el = (tag, attrs = {}, ...kids) => {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) n.setAttribute(k, v);
  for (const k of kids) n.append(k);
  return n;
};
