import { apiHandler } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Ends one of a person's sessions (leads); their open tabs are told they were signed out. */
export const DELETE = apiHandler(async ({ locals, params }) => {
	const { access } = backend();
	const sessions = await access.admin.listSessions(locals.principal, { personId: params.id });
	const session = sessions.find((candidate) => candidate.id === params.sessionId);
	await access.admin.revokeSession(locals.principal, session?.id ?? '');
	return new Response(null, { status: 204 });
});
