/**
 * The logger. Logs carry no personal data and no IP address: request logging is ours, not a
 * middleware's, and the fields that could hold tokens or text are redacted in case a caller
 * passes a whole object.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'gentofte-talks' },
    redact: {
      paths: [
        '*.password',
        '*.deviceToken',
        '*.staffToken',
        '*.token',
        '*.text',
        '*.displayName',
        '*.email',
        '*.ip',
        'req.headers',
        'req.remoteAddress',
      ],
      censor: '[redacted]',
    },
  });
}
