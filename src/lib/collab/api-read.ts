/**
 * Reading the JSON API from the browser: one GET, its answer validated with the schema the server
 * answers by (storage and the network are boundaries too), and the API's `{ error: { message } }`
 * turned into an error a page can show as it is.
 */
import type { z } from 'zod';

export class ApiReadError extends Error {
	readonly status: number;
	constructor(status: number, message: string) {
		super(message);
		this.name = 'ApiReadError';
		this.status = status;
	}
}

function messageOf(body: unknown, status: number): string {
	const error = (body as { error?: { message?: unknown } } | null)?.error;
	return typeof error?.message === 'string' ? error.message : `the server answered ${status}`;
}

/** GETs `url` (same origin, never cached) and parses the answer; throws ApiReadError otherwise. */
export async function getJson<S extends z.ZodType>(url: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
	let response: Response;
	try {
		response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', signal });
	} catch (cause) {
		if (signal?.aborted) throw cause;
		throw new ApiReadError(0, 'the server cannot be reached; try again when the connection is back');
	}
	const body: unknown = await response.json().catch(() => null);
	if (!response.ok) throw new ApiReadError(response.status, messageOf(body, response.status));
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw new ApiReadError(response.status, 'the server’s answer was not in the expected form');
	return parsed.data;
}
