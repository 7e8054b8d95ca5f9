import pino, { type Logger } from 'pino';

export type { Logger };

/** One pino logger per backend; secrets are redacted wherever they might appear. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
	return pino({
		level,
		base: { pid: process.pid, ...bindings },
		redact: {
			paths: ['token', '*.token', 'secret', '*.secret', 'cookie', '*.cookie', 'req.headers.cookie', 'req.headers.authorization', 'headers.authorization', 'headers.cookie'],
			censor: '[redacted]'
		}
	});
}
