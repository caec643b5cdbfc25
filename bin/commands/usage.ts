/** Flag parsing shared by the CLI commands. */
import { parseArgs } from 'node:util';
import type { Config } from '../../core/config.ts';
import type { Runtime } from '../runtime.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parse `--flag value` pairs; every listed flag takes a string unless in `booleans`. */
export function flags(args: string[], names: string[], booleans: string[] = []): Record<string, string | boolean | undefined> {
  const options = Object.fromEntries([
    ...names.map((n) => [n, { type: 'string' as const }]),
    ...booleans.map((n) => [n, { type: 'boolean' as const }]),
  ]);
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** @throws UsageError naming every missing flag. */
export function required(values: Record<string, unknown>, names: string[], usage: string): void {
  const missing = names.filter((n) => typeof values[n] !== 'string' || values[n] === '');
  if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}\nusage: ${usage}`);
}

/** Run fn with a runtime that has no gateway and consumes no queues, then close it. */
export async function withRuntime<T>(cfg: Config, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: the CLI's help and flag errors should not wait for the runtime.
  const { createRuntime } = await import('../runtime.ts');
  const rt = await createRuntime({ ...cfg, runGateway: false, activeQueues: [] }, {});
  try {
    return await fn(rt);
  } finally {
    await rt.stop();
  }
}
