import { importForm, importMapping, importQuery } from '#lib/protocol/raid-import.ts';
import { entityId } from '#lib/protocol/workspace.ts';
import { apiError, apiHandler, ok, readId, readQuery, requirePrincipal, toIssues } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/**
 * RAID import: multipart `file` (CSV or XLSX), optional `mapping` (JSON) and `register` (a CSV's
 * register when there is no mapping). `?dryRun=true` answers the preview and writes nothing;
 * otherwise every row is imported, or none (see docs/import-export.md).
 */
export const POST = apiHandler(async ({ locals, params, request, url }) => {
	const principal = requirePrincipal(locals);
	const boardId = readId(params.id, entityId, 'board');
	const { dryRun } = readQuery(url, importQuery);
	if (!/^multipart\/form-data\s*;/i.test(request.headers.get('content-type') ?? '')) {
		throw apiError('invalid_request', 'send the file as multipart/form-data with a "file" field (and optionally "mapping" as JSON)');
	}
	let form: FormData;
	try {
		form = await request.formData();
	} catch (error) {
		const tooLarge = typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 413;
		throw apiError('invalid_request', tooLarge ? 'the upload is too large: a RAID file is at most 10 MB' : 'the upload is not a valid multipart form');
	}
	const file = form.get('file');
	if (!(file instanceof File)) throw apiError('invalid_request', 'no file: send it in the "file" field', { issues: [{ path: 'file', message: 'Required' }] });
	const fields = importForm.safeParse(Object.fromEntries([...form.entries()].filter(([name]) => name !== 'file')));
	if (!fields.success) throw apiError('invalid_request', 'the form fields are not valid', { issues: toIssues(fields.error) });
	let mapping;
	if (fields.data.mapping) {
		let raw: unknown;
		try {
			raw = JSON.parse(fields.data.mapping);
		} catch {
			throw apiError('invalid_request', 'the mapping is not valid JSON', { issues: [{ path: 'mapping', message: 'not JSON' }] });
		}
		const parsed = importMapping.safeParse(raw);
		if (!parsed.success) throw apiError('invalid_request', 'the mapping is not valid', { issues: toIssues(parsed.error).map((issue) => ({ ...issue, path: `mapping.${issue.path}` })) });
		mapping = parsed.data;
	}
	const bytes = new Uint8Array(await file.arrayBuffer());
	const result = await backend().raidImport.run(principal, boardId, { name: file.name || 'upload', bytes }, { mapping, register: fields.data.register, dryRun: dryRun === 'true' });
	return ok(result);
});
