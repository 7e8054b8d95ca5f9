import { redeemInviteInput } from '#lib/protocol/workspace.ts';
import { sessionCookieName, sessionDefaults } from '#lib/protocol/session.ts';
import { apiHandler, ok, readJson } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Redeems an invite: a new person with the invite's department and role, and a session cookie (rate limited). */
export const POST = apiHandler(async ({ request, cookies, url, getClientAddress }) => {
	const { token, name } = await readJson(request, redeemInviteInput);
	const redeemed = await backend().access.redemption.redeem(token, name, { address: getClientAddress(), userAgent: request.headers.get('user-agent') ?? undefined });
	cookies.set(sessionCookieName, redeemed.cookieValue, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: Math.floor(sessionDefaults.idleTimeoutMs / 1000)
	});
	const { id, name: personName, departmentId, role } = redeemed.person;
	return ok({ person: { id, name: personName, departmentId, role, principalId: `person:${id}` }, path: redeemed.path }, 201);
});
