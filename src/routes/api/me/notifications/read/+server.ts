import { markReadInput } from '#lib/protocol/notifications.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Marks notifications read: `{ ids: [...] }` or `{ all: true }`. Answers how many stay unread. */
export const POST = apiHandler(async ({ locals, request }) => {
	const input = await readJson(request, markReadInput);
	return ok(await backend().notifications.markRead(locals.principal, input));
});
