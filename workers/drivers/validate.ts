/** Payload validation against the catalog schema, at enqueue time (fail fast at the producer). */
import { Value } from '@sinclair/typebox/value';
import type { QueueName } from '../../core/queue.ts';
import { catalog } from '../catalog.ts';
import { InvalidJobPayloadError } from './driver.ts';

/** @throws InvalidJobPayloadError naming the first invalid field. */
export function validatePayload(name: QueueName, payload: unknown): void {
  const spec = catalog[name];
  if (!spec) throw new InvalidJobPayloadError(`unknown queue "${name}"`);
  if (!Value.Check(spec.schema, payload)) {
    const first = Value.Errors(spec.schema, payload).First();
    throw new InvalidJobPayloadError(`${name}: ${first?.path || '/'} ${first?.message ?? 'invalid'}`);
  }
}

/** Delay before retry number `attempt` (1-based attempt that just failed), exponential. */
export function backoffDelay(name: QueueName, attempt: number): number {
  return catalog[name].backoffMs * 2 ** (attempt - 1);
}

/** Run fn with an AbortSignal that fires after the catalog timeout; rejects on timeout. */
export async function withTimeout<T>(name: QueueName, fn: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
  const ms = catalog[name].timeoutMs;
  const ac = new AbortController();
  const onOuter = () => ac.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(ac.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const err = new Error(`${name} job timed out after ${ms} ms`);
          ac.abort(err);
          reject(err);
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}
