import { apiError, apiHandler } from '#lib/server/api-errors.ts';

/** Anything under /api/ that no route answers: a JSON 404, not an HTML page. */
export const fallback = apiHandler(async ({ url, request }) => {
	throw apiError('not_found', `no API endpoint ${request.method} ${url.pathname}; see /api/openapi.json`);
});
