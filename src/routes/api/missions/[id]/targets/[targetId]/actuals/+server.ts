import { parseDatedValuesCsv } from '#lib/missions/csv.ts';
import { actualsInput, missionLimits } from '#lib/protocol/missions.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiError, apiHandler, ok, readId, readJson, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * Records actual values: JSON (one `{ date, value }` or a list) or CSV with
 * `Content-Type: text/csv` (header `date,value`). All or nothing; errors name the row and field.
 */
export const POST = apiHandler(async ({ locals, params, request }) => {
	const principal = requirePrincipal(locals);
	const id = readId(params.id, entityId, 'mission');
	const targetId = readId(params.targetId, entityId, 'target');
	const type = request.headers.get('content-type') ?? '';
	if (/^text\/csv\s*(?:;|$)/i.test(type)) {
		const text = await request.text();
		if (text.length > missionLimits.csvBytes) throw apiError('invalid_request', `a CSV of actuals is at most ${missionLimits.csvBytes} bytes; send it in parts`);
		const parsed = parseDatedValuesCsv(text);
		if (!parsed.ok) throw apiError('invalid_request', `the CSV has ${parsed.issues.length} problem${parsed.issues.length === 1 ? '' : 's'}; nothing was recorded`, { issues: parsed.issues });
		return ok(await backend().missions.recordActuals(principal, id, targetId, parsed.rows, 'csv'), 201);
	}
	const input = await readJson(request, actualsInput);
	return ok(await backend().missions.recordActuals(principal, id, targetId, input, 'json'), 201);
});
