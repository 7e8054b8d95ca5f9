import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** A person's sessions (leads). */
export const GET = apiHandler(async ({ locals, params }) => ok({ sessions: await backend().access.admin.listSessions(locals.principal, { personId: params.id ?? '', currentSessionId: locals.sessionId }) }));
