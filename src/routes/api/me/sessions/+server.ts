import { apiHandler, ok } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** The caller's sessions (`current` marks the one this request came with). */
export const GET = apiHandler(async ({ locals }) => ok({ sessions: await backend().access.admin.listSessions(locals.principal, { currentSessionId: locals.sessionId }) }));
