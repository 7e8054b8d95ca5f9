import { z } from 'zod';
import { issuedToken } from '#lib/protocol/workspace.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Who invited whom to what, for a link's token (rate limited; the token goes in the body, not the URL). */
export const POST = apiHandler(async ({ request, getClientAddress }) => {
	const { token } = await readJson(request, z.strictObject({ token: issuedToken }));
	return ok(await backend().access.redemption.preview(token, { address: getClientAddress() }));
});
