/** pino logger factory; one root logger per process, children per component. */
import pino, { type Logger } from 'pino';

export type { Logger };

/** @param level pino level name (LOG_LEVEL), e.g. 'info', 'debug', 'silent'. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'aizalo' }, redact: ['req.headers.authorization', 'req.headers.cookie'] });
}
