/**
 * Named errors of sign-in by email link and single sign-on. Each has a stable `code` and an HTTP
 * `status`; messages are safe to show (they never say whether an address or a person exists).
 */
export const identityErrorCodes = {
	invalid_request: 400,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	unavailable: 503,
	rate_limited: 429,
	link_invalid: 404,
	link_expired: 410,
	not_configured: 404,
	sign_in_failed: 400,
	domain_not_allowed: 403,
	email_unverified: 403,
	provider_unavailable: 503
} as const;
export type IdentityErrorCode = keyof typeof identityErrorCodes;

export class IdentityError extends Error {
	readonly code: IdentityErrorCode;
	readonly status: (typeof identityErrorCodes)[IdentityErrorCode];
	retryAfterSeconds: number | undefined;
	constructor(code: IdentityErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
		super(message, options);
		this.name = 'IdentityError';
		this.code = code;
		this.status = identityErrorCodes[code];
		this.retryAfterSeconds = options?.retryAfterSeconds;
	}
}

/** An identity error's code and message, recognised by name (routes do not share the backend's classes). */
export function identityFailure(error: unknown): { status: number; code: IdentityErrorCode; message: string; retryAfterSeconds?: number } | undefined {
	if (!(error instanceof Error) || error.name !== 'IdentityError') return undefined;
	const { code, retryAfterSeconds } = error as Error & { code?: unknown; retryAfterSeconds?: unknown };
	if (typeof code !== 'string' || !(code in identityErrorCodes)) return undefined;
	const known = code as IdentityErrorCode;
	return { status: identityErrorCodes[known], code: known, message: error.message, ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}) };
}

/** The JSON answer for an identity error (`{ error: { code, message } }`), or undefined for anything else. */
export function identityErrorResponse(error: unknown): Response | undefined {
	const failure = identityFailure(error);
	if (!failure) return undefined;
	const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
	if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
	return new Response(JSON.stringify({ error: { code: failure.code, message: failure.message } }), { status: failure.status, headers });
}

/** Wraps an API handler so identity errors become their JSON answers; anything else propagates. */
export function withIdentityErrors<E>(handler: (event: E) => Promise<Response>): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			const response = identityErrorResponse(error);
			if (response) return response;
			throw error;
		}
	};
}
