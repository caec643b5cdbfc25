/** Helpers for the console API tests: signed-in sessions per role and a JSON call shorthand. */
import { api, type ApiResponse } from './api.ts';
import { signedIn } from './auth.ts';
import type { Harness } from './harness.ts';
import type { TenantRole } from '../../core/services/tenancy/permissions.ts';

export type Who = Awaited<ReturnType<typeof signedIn>> | undefined;

/** owner, admin, staff and viewer of one tenant. */
export async function roles(h: Harness, tenantId: string): Promise<Record<TenantRole, NonNullable<Who>>> {
  const [owner, admin, staff, viewer] = await Promise.all((['owner', 'admin', 'staff', 'viewer'] as const).map((role) => signedIn(h, { tenantId, role })));
  return { owner: owner!, admin: admin!, staff: staff!, viewer: viewer! };
}

export const callAs = (h: Harness) => (who: Who, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(h, method, path, { headers: who?.headers, body });

/** Read an SSE response into `sink.text` until aborted. */
export function drainSse(res: Response, sink: { text: string }): void {
  void (async () => {
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      sink.text += Buffer.from(value).toString();
    }
  })().catch(() => {});
}
