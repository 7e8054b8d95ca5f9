/**
 * The JSON API's error format and the guards that produce it, in one place:
 * every error is `{ error: { code, message, issues? } }` with a 4xx (or 503/500), never a stack.
 *
 * Errors thrown by the backend (`server/`) are recognised by their `code`, not by `instanceof`:
 * the backend is loaded by Node and this module by SvelteKit's bundle, so classes are not shared.
 */
import { isHttpError, isRedirect, json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import type { z } from 'zod';
import { backend } from '#lib/server/backend.ts';
import type { Principal } from '../../../server/auth/principal.ts';

export const apiErrorCodes = {
	invalidRequest: 'invalid_request',
	unauthenticated: 'unauthenticated',
	forbidden: 'forbidden',
	notFound: 'not_found',
	conflict: 'conflict',
	payloadTooLarge: 'payload_too_large',
	unavailable: 'unavailable',
	internal: 'internal'
} as const;
export type ApiErrorCode = (typeof apiErrorCodes)[keyof typeof apiErrorCodes];

const statusOf = {
	invalid_request: 400,
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	payload_too_large: 413,
	unavailable: 503,
	internal: 500
} as const satisfies Record<ApiErrorCode, number>;

/** One problem with a request body or query: where (`path`, dotted) and what. */
export interface ApiIssue {
	path: string;
	message: string;
}

export interface ApiErrorBody {
	error: { code: ApiErrorCode; message: string; issues?: ApiIssue[] };
}

export class ApiError extends Error {
	readonly code: ApiErrorCode;
	readonly status: number;
	readonly issues: ApiIssue[] | undefined;
	constructor(code: ApiErrorCode, message: string, issues?: ApiIssue[]) {
		super(message);
		this.name = 'ApiError';
		this.code = code;
		this.status = statusOf[code];
		this.issues = issues;
	}
}

export function toIssues(error: z.ZodError): ApiIssue[] {
	return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Codes the backend and the board model use, and what each means on the wire. */
const backendCodes: Record<string, ApiErrorCode> = {
	invalid_request: 'invalid_request',
	invalid_input: 'invalid_request',
	not_found: 'not_found',
	record_not_found: 'not_found',
	forbidden: 'forbidden',
	conflict: 'conflict',
	invalid_record: 'conflict',
	wrong_register: 'invalid_request',
	store_unavailable: 'unavailable'
};

function issuesOf(value: unknown): ApiIssue[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return value.map((issue: { path?: unknown; message?: unknown }) => ({
		path: Array.isArray(issue.path) ? issue.path.map(String).join('.') : String(issue.path ?? ''),
		message: String(issue.message ?? 'invalid')
	}));
}

/** The API error an exception stands for, or undefined for an unexpected one (a bug: 500). */
export function asApiError(error: unknown): ApiError | undefined {
	if (error instanceof ApiError) return error;
	if (typeof error !== 'object' || error === null) return undefined;
	const { code, name, message, issues } = error as { code?: unknown; name?: unknown; message?: unknown; issues?: unknown };
	if (name === 'ZodError') return new ApiError('invalid_request', 'the request is not valid', issuesOf(issues));
	const mapped = typeof code === 'string' ? backendCodes[code] : undefined;
	if (!mapped) return undefined;
	const text = mapped === 'unavailable' ? 'the store is unavailable; try again shortly' : String(message ?? mapped);
	return new ApiError(mapped, text, issuesOf(issues));
}

export function errorResponse(error: ApiError): Response {
	const body: ApiErrorBody = { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
	const headers: Record<string, string> = { 'cache-control': 'no-store' };
	if (error.status === 401) headers['www-authenticate'] = 'Bearer';
	return json(body, { status: error.status, headers });
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
			const known = asApiError(error);
			if (known) return errorResponse(known);
			backend().log.error({ err: error, method: event.request.method, path: event.url.pathname }, 'API request failed');
			return errorResponse(new ApiError('internal', 'something went wrong on the server; it has been logged'));
		}
	};
}

/** The signed-in principal, or a 401. */
export function requirePrincipal(locals: App.Locals): Principal {
	if (!locals.principal) throw new ApiError('unauthenticated', 'sign in first: send a session cookie or Authorization: Bearer <token>');
	return locals.principal;
}

/** JSON bodies are small: the larger limit of the server is for file uploads (RAID import). */
export const maxJsonBytes = 1024 * 1024;

const tooLarge = () => new ApiError('payload_too_large', `a JSON body is at most ${maxJsonBytes / 1024} KiB`);

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
			throw new ApiError('invalid_request', 'the body could not be read');
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
		throw new ApiError('invalid_request', `send the body as JSON with "Content-Type: application/json" (got ${type ? JSON.stringify(type.slice(0, 80)) : 'no content type'})`);
	}
	const text = await readBoundedText(request, maxJsonBytes);
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new ApiError('invalid_request', 'the body is not valid JSON');
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw new ApiError('invalid_request', 'the request body is not valid', toIssues(parsed.error));
	return parsed.data;
}

/** Validates query parameters (as strings) against a schema. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) throw new ApiError('invalid_request', 'the query string is not valid', toIssues(parsed.error));
	return parsed.data;
}

/** A path parameter that must be an id; anything else is simply not found. */
export function readId<T extends string>(value: string | undefined, pattern: z.ZodType<T>, what: string): T {
	const parsed = pattern.safeParse(value);
	if (!parsed.success) throw new ApiError('not_found', `no ${what} ${JSON.stringify(String(value ?? '').slice(0, 80))}`);
	return parsed.data;
}

export function ok(data: unknown, status = 200): Response {
	return json(data, { status, headers: { 'cache-control': 'no-store' } });
}
