import { emailSignInInput } from '#lib/protocol/identity.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * Asks for a sign-in link: `202` whether or not the address belongs to anyone (the link goes only
 * to a person's verified address). Rate limited per client (429) and per address (silently).
 */
export const POST = apiHandler(async ({ request, getClientAddress }) => {
	const { email } = await readJson(request, emailSignInInput);
	await backend().identity.requestEmailLink(email, { address: getClientAddress() });
	return ok({ message: 'If this address belongs to someone here, a sign-in link is on its way. It works once, for 15 minutes.' }, 202);
});
