/**
 * The export endpoints' one handler: `/api/boards/:id/export.<format>` and
 * `/api/missions/:id/export.<format>` differ only in what they export and the format.
 */
import type { RequestHandler } from '@sveltejs/kit';
import { exportQuery, type ExportFormat } from '#lib/protocol/exports.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiHandler, readId, readQuery, requirePrincipal } from './api-errors.ts';
import { backend } from './backend.ts';
import { fileResponse } from './file-response.ts';

export function exportHandler(subject: 'board' | 'mission', format: ExportFormat): RequestHandler<Record<string, string>> {
	return apiHandler(async ({ locals, params, url }) => {
		const principal = requirePrincipal(locals);
		const id = readId(params.id, entityId, subject);
		const query = readQuery(url, exportQuery);
		const exports = backend().exports;
		const file = subject === 'board' ? await exports.board(principal, id, format, query) : await exports.mission(principal, id, format, query);
		return fileResponse(file);
	});
}
