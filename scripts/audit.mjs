#!/usr/bin/env node
// Dependency audit for CI (issue 14): `npm audit --omit=dev` and fail on high or critical
// advisories that audit-allowlist.json does not list with a reason. npm's JSON report format
// (auditReportVersion 2): { vulnerabilities: { <pkg>: { severity, via: [advisory | pkg name] } } },
// advisory = { source, name, title, url (https://github.com/advisories/GHSA-…), severity, range }.
// When the registry does not answer audit requests (offline mirror, 404/405, network), this prints
// a warning and exits 0: an unreachable audit service must not fail the build, a finding must.
//
// Usage: node scripts/audit.mjs [--allowlist audit-allowlist.json] [--report saved-npm-audit.json]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const listPath = opt('--allowlist', 'audit-allowlist.json');
const savedReport = opt('--report', undefined);
const FAIL_ON = new Set(['high', 'critical']);

const allow = new Map(
  (JSON.parse(readFileSync(listPath, 'utf8')).advisories ?? []).map((a) => {
    if (!a.id || !a.reason)
      throw new Error(`${listPath}: every entry needs an "id" (GHSA-…) and a "reason"`);
    return [a.id, a];
  }),
);

let raw;
if (savedReport) raw = readFileSync(savedReport, 'utf8');
else
  try {
    raw = execFileSync('npm', ['audit', '--omit=dev', '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    raw = err.stdout ?? ''; // npm audit exits 1 when it finds anything; the JSON is still on stdout
  }
let report;
try {
  report = JSON.parse(raw);
} catch {
  report = undefined;
}
if (!report || report.error || !report.vulnerabilities) {
  const why =
    report?.error?.summary || report?.message || (raw || '').trim().split('\n')[0] || 'no answer';
  console.warn(
    `[audit] WARNING: the audit endpoint could not be used (${why}); dependencies NOT audited in this run`,
  );
  process.exit(0);
}

const found = new Map(); // GHSA id → advisory
for (const v of Object.values(report.vulnerabilities))
  for (const via of v.via ?? [])
    if (typeof via === 'object' && FAIL_ON.has(via.severity)) {
      const id = /GHSA-[\w-]+/.exec(via.url ?? '')?.[0] ?? String(via.source);
      found.set(id, { ...via, id });
    }

const blocking = [...found.values()].filter((a) => !allow.has(a.id));
for (const a of found.values())
  console.log(
    `[audit] ${a.severity.padEnd(8)} ${a.id} ${a.name} ${a.range ?? ''} — ${a.title}${allow.has(a.id) ? `  (allowed: ${allow.get(a.id).reason})` : ''}`,
  );
const stale = [...allow.keys()].filter((id) => !found.has(id));
if (stale.length) console.log(`[audit] allow-list entries no longer needed: ${stale.join(', ')}`);
if (blocking.length) {
  console.error(
    `[audit] ${blocking.length} high/critical advisory(ies) not in ${listPath}: fix, or allow-list with a reason`,
  );
  process.exit(1);
}
console.log(
  `[audit] ok: ${found.size} high/critical advisory(ies), all allow-listed (${Object.keys(report.vulnerabilities).length} vulnerable package(s) of any severity)`,
);
