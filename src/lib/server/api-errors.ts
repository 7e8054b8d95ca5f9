/**
 * The JSON API's edge: every error is `{ error: { code, message, issues? } }` with its status
 * (4xx, or 503/500), never a stack. Errors are the backend's own (`server/errors.ts`): this module
 * makes them with `backend().error()` and asks `backend().failureOf()` what each one answers.
 */
import { isHttpError, isRedirect, json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import type { z } from 'zod';
import { toIssues } from '#lib/board/read.ts';
import { backend, type AppErrorOptions, type ErrorCode, type Failure, type Issue, type Principal } from '#lib/server/backend.ts';

export type { ErrorCode, Issue };

/** An error of the backend's hierarchy, to throw: `apiHandler` answers it with its status. */
export function apiError(code: ErrorCode, message: string, options?: AppErrorOptions): Error {
	return backend().error(code, message, options);
}

export { toIssues } from '#lib/board/read.ts';

/** The JSON answer an error of the backend's hierarchy stands for; a bug (anything else) is a 500. */
export function errorResponse(error: unknown): Response {
	const failure: Failure = backend().failureOf(error) ?? { status: 500, code: 'internal', message: 'something went wrong on the server; it has been logged' };
	const body = { error: { code: failure.code, message: failure.message, ...(failure.issues ? { issues: failure.issues } : {}) } };
	const headers: Record<string, string> = { 'cache-control': 'no-store' };
	if (failure.status === 401) headers['www-authenticate'] = 'Bearer';
	if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
	return json(body, { status: failure.status, headers });
}

/** Route parameters: a route's own parameters are always present. */
type RouteParams = Record<string, string>;
export type ApiEvent = RequestEvent<RouteParams>;

/**
 * Wraps an API handler: known errors become their 4xx, anything else a logged 500 with no
 * details. SvelteKit's own `error()`/`redirect()` pass through untouched.
 */
export function apiHandler(handler: (event: ApiEvent) => Promise<Response>): RequestHandler<RouteParams> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (error) {
			if (isHttpError(error) || isRedirect(error)) throw error;
			if (!backend().failureOf(error)) backend().log.error({ err: error, method: event.request.method, path: event.url.pathname }, 'API request failed');
			return errorResponse(error);
		}
	};
}

/** The signed-in principal, or a 401. */
export function requirePrincipal(locals: App.Locals): Principal {
	if (!locals.principal) throw apiError('unauthenticated', 'sign in first: send a session cookie or Authorization: Bearer <token>');
	return locals.principal;
}

/** JSON bodies are small: the larger limit of the server is for file uploads (RAID import). */
export const maxJsonBytes = 1024 * 1024;

const tooLarge = () => apiError('payload_too_large', `a JSON body is at most ${maxJsonBytes / 1024} KiB`);

/**
 * The body as text, kept no further than `limit` bytes (declared or streamed): past it, a 413. A
 * streamed body past the limit is read to its end without being kept (adapter-node caps it at
 * BODY_SIZE_LIMIT), so the client, still sending, receives the answer instead of a reset connection.
 */
async function readBoundedText(request: Request, limit: number): Promise<string> {
	if (Number(request.headers.get('content-length') ?? 0) > limit) throw tooLarge();
	const reader = request.body?.getReader();
	if (!reader) return '';
	const decoder = new TextDecoder();
	let text = '';
	let size = 0;
	for (;;) {
		let chunk: ReadableStreamReadResult<Uint8Array>;
		try {
			chunk = await reader.read();
		} catch (error) {
			// adapter-node stops reading past BODY_SIZE_LIMIT with a 413 error.
			if ((error as { status?: unknown } | null)?.status === 413) throw tooLarge();
			throw apiError('invalid_request', 'the body could not be read');
		}
		if (chunk.done) {
			if (size > limit) throw tooLarge();
			return text + decoder.decode();
		}
		size += chunk.value.byteLength;
		if (size <= limit) text += decoder.decode(chunk.value, { stream: true });
	}
}

/** Reads and validates a JSON body: wrong content type, bad JSON and schema failures are 400s; past 1 MiB, 413. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
		throw apiError('invalid_request', `send the body as JSON with "Content-Type: application/json" (got ${type ? JSON.stringify(type.slice(0, 80)) : 'no content type'})`);
	}
	const text = await readBoundedText(request, maxJsonBytes);
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw apiError('invalid_request', 'the body is not valid JSON');
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw apiError('invalid_request', 'the request body is not valid', { issues: toIssues(parsed.error) });
	return parsed.data;
}

/** Validates query parameters (as strings) against a schema. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) throw apiError('invalid_request', 'the query string is not valid', { issues: toIssues(parsed.error) });
	return parsed.data;
}

/** A path parameter that must be an id; anything else is simply not found. */
export function readId<T extends string>(value: string | undefined, pattern: z.ZodType<T>, what: string): T {
	const parsed = pattern.safeParse(value);
	if (!parsed.success) throw apiError('not_found', `no ${what} ${JSON.stringify(String(value ?? '').slice(0, 80))}`);
	return parsed.data;
}

export function ok(data: unknown, status = 200): Response {
	return json(data, { status, headers: { 'cache-control': 'no-store' } });
}
