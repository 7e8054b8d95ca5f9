import { emailSignInInput } from '#lib/protocol/identity.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * A signed-in person with no address yet gives theirs: `202`, and a link that confirms it goes to
 * it (single use, 15 minutes; using it makes the address theirs and signs them in). `404
 * not_configured` without mail, `409` when they already have one, `400` for a bad address.
 */
export const POST = apiHandler(async ({ request, locals, getClientAddress }) => {
	const { email } = await readJson(request, emailSignInInput);
	await backend().identity.askToVerifyEmail(locals.principal, email, { address: getClientAddress() });
	return ok({ message: 'A link to confirm your address is on its way. It works once, for 15 minutes.' }, 202);
});
