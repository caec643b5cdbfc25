/**
 * pino logger factory; one root logger per process, children per component.
 *
 * Format: JSON lines (one object per line, pino's format) unless the output is a terminal, where
 * pino-pretty prints them readable and coloured (`HH:MM:ss LEVEL (component): message key=value`).
 * Log collectors get JSON; a person running `npm start` gets something to read.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

const REDACT = ['req.headers.authorization', 'req.headers.cookie'];

/**
 * @param level pino level name (LOG_LEVEL), e.g. 'info', 'debug', 'silent'.
 * @param opts.pretty force pretty (true) or JSON (false); default: pretty when stdout is a TTY.
 */
export function createLogger(level: string, opts: { pretty?: boolean } = {}): Logger {
  const options = { level, base: { app: 'aizalo' }, redact: REDACT };
  if (!(opts.pretty ?? process.stdout.isTTY === true)) return pino(options);
  return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app,component', singleLine: true, messageFormat: '{if component}({component}) {end}{msg}' }));
}
