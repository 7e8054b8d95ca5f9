/**
 * Access errors on the wire, for the JSON API routes of the access layer: `{ error: { code,
 * message, issues? } }` with the error's status. Pure (no backend state), so SvelteKit routes may
 * import it; errors are recognised by name and code, never by `instanceof` (the backend and the
 * SvelteKit bundle do not share classes).
 */
import { accessErrorCodes, type AccessErrorCode } from './errors.ts';

export interface AccessErrorBody {
	error: { code: AccessErrorCode; message: string; issues?: Array<{ path: string; message: string }> };
}

/** The response an access error stands for, or undefined for anything else. */
export function accessErrorResponse(error: unknown): Response | undefined {
	if (!(error instanceof Error) || error.name !== 'AccessError') return undefined;
	const { code, issues, retryAfterSeconds } = error as Error & { code?: unknown; issues?: unknown; retryAfterSeconds?: unknown };
	if (typeof code !== 'string' || !(code in accessErrorCodes)) return undefined;
	const known = code as AccessErrorCode;
	const body: AccessErrorBody = { error: { code: known, message: error.message } };
	if (Array.isArray(issues)) {
		body.error.issues = issues.map((issue: { path?: unknown; message?: unknown }) => ({
			path: Array.isArray(issue.path) ? issue.path.map(String).join('.') : String(issue.path ?? ''),
			message: String(issue.message ?? 'invalid')
		}));
	}
	const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
	if (known === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
	if (known === 'rate_limited' && typeof retryAfterSeconds === 'number') headers['retry-after'] = String(retryAfterSeconds);
	return new Response(JSON.stringify(body), { status: accessErrorCodes[known], headers });
}

/** Wraps a handler so access errors become their JSON responses; anything else propagates. */
export function withAccessErrors<E>(handler: (event: E) => Promise<Response>): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			const response = accessErrorResponse(error);
			if (response) return response;
			throw error;
		}
	};
}

/** A message an access error carries, for form actions: `{ status, message }`, or undefined. */
export function accessFailure(error: unknown): { status: number; code: string; message: string } | undefined {
	if (!(error instanceof Error) || error.name !== 'AccessError') return undefined;
	const code: unknown = (error as { code?: unknown }).code;
	if (typeof code !== 'string' || !(code in accessErrorCodes)) return undefined;
	return { status: accessErrorCodes[code as AccessErrorCode], code, message: error.message };
}
