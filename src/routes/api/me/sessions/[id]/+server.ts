import { apiHandler } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Ends one of the caller's sessions (`current`: this one, i.e. sign out); its live connections close now. */
export const DELETE = apiHandler(async ({ locals, params, cookies }) => {
	const id = params.id === 'current' ? (locals.sessionId ?? '') : (params.id ?? '');
	await backend().access.admin.revokeSession(locals.principal, id);
	if (id === locals.sessionId) cookies.delete('mc_session', { path: '/' });
	return new Response(null, { status: 204 });
});
