import { error, fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { mappingFromForm } from '#lib/import/mapping-form.ts';
import { backend } from '#lib/server/backend.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** The RAID import page: the board, and whether the caller may import into it. No side effects. */
export const load: PageServerLoad = async ({ params, locals, url }) => {
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const board = await backend()
		.workspace.getBoard(principal, params.id)
		.catch((cause: unknown) => {
			if (backend().failureOf(cause)?.code === 'not_found') return undefined;
			throw cause;
		});
	if (!board) error(404, { message: 'There is no such board, or it is not shared with your department.', code: 'not_found' });
	return { board: { id: board.id, title: board.title, access: board.access } };
};

async function importFile(request: Request, locals: App.Locals, boardId: string, dryRun: boolean) {
	const principal = locals.principal;
	if (!principal) redirect(303, '/login');
	const form = await request.formData();
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return fail(400, { message: 'Choose a CSV or XLSX file first.' });
	try {
		const result = await backend().raidImport.run(principal, boardId, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, { mapping: mappingFromForm(form), dryRun });
		return { result };
	} catch (cause) {
		const known = backend().failureOf(cause);
		if (!known || known.status >= 500) throw cause;
		return fail(known.status, { message: sentence(known.message), issues: known.issues ?? [] });
	}
}

export const actions: Actions = {
	preview: ({ request, locals, params }) => importFile(request, locals, params.id, true),
	import: ({ request, locals, params }) => importFile(request, locals, params.id, false)
};
