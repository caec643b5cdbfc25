/**
 * Per-attempt plumbing for the router: a deadline that can be re-armed, and a race that
 * stops waiting the moment the deadline (or the caller) aborts, even if an SDK ignores
 * its signal — the late answer is dropped, so a turn never gets two replies.
 */

export interface Deadline {
  /** Aborts on the deadline (reason: DOMException `TimeoutError`) or when the caller aborts. */
  signal: AbortSignal;
  /** Replace the running timer with a new one of `ms`. */
  rearm(ms: number): void;
  /** Stop the timer (the attempt finished). */
  clear(): void;
  /** Abort now (the attempt is abandoned; frees its socket). */
  abandon(): void;
}

/** Deadline of `ms` from now, merged with the caller's signal when given. */
export function deadline(ms: number, caller?: AbortSignal): Deadline {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (t: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => ac.abort(new DOMException(`deadline of ${t} ms exceeded`, 'TimeoutError')), t);
    timer.unref?.();
  };
  arm(ms);
  return {
    signal: caller ? AbortSignal.any([caller, ac.signal]) : ac.signal,
    rearm: arm,
    clear: () => clearTimeout(timer),
    abandon: () => {
      clearTimeout(timer);
      if (!ac.signal.aborted) ac.abort(new DOMException('attempt abandoned', 'AbortError'));
    },
  };
}

/** Settle with `p`, or reject with `signal.reason` as soon as `signal` aborts. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
