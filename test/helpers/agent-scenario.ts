/** Helpers for agent scenario tests: reading tool results out of fake Gemini requests, times, rows. */
import type { GeminiRequest } from '../fakes/fake-gemini.ts';
import type { Harness } from './harness.ts';

/** The function responses in the request's last user turn ([] for a plain customer turn). */
export function toolResults(req: GeminiRequest): Array<{ name: string; response: Record<string, unknown> }> {
  const last = req.contents[req.contents.length - 1];
  return (last?.parts ?? []).flatMap((p) => (p.functionResponse ? [{ name: p.functionResponse.name, response: p.functionResponse.response }] : []));
}

/** JSON text of everything the model was sent (system + contents), for leak checks. */
export const seenByModel = (req: GeminiRequest) => `${req.system}\n${JSON.stringify(req.contents)}`;

/** "YYYY-MM-DDTHH:00" local Nairobi wall time `days` from today at `hour`. */
export function nairobiLocal(days: number, hour: number): string {
  const d = new Date(Date.now() + 3 * 3600_000 + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

export const rows = (h: Harness, sql: string, params: unknown[] = []) => h.rt.db.query<Record<string, any>>(sql, params);

export async function customerId(h: Harness, tenantId: string, phone: string): Promise<string | undefined> {
  const [r] = await rows(h, 'select id from customers where tenant_id = $1 and handle = $2', [tenantId, phone]);
  return r?.id;
}
