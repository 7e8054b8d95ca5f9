import { error, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { workspaceDependency } from '#lib/components/workspace/form-result.ts';
import { backend } from '#lib/server/backend.ts';
import { workspaceActions as act } from '#lib/server/workspace-forms.ts';
import type { Actions, PageServerLoad } from './$types';

/** The department registry, for leads. No side effects. */
export const load: PageServerLoad = async ({ locals, depends, url }) => {
	depends(workspaceDependency);
	if (!locals.principal) redirect(303, signInPath(url));
	if (!backend().access.isLead(locals.principal)) error(403, { message: 'Only Missions Unit leads manage the department registry.', code: 'forbidden' });
	const departments = await backend().workspace.listDepartments({ includeArchived: true });
	return { departments };
};

export const actions: Actions = {
	createDepartment: act.createDepartment,
	editDepartment: act.editDepartment,
	archiveDepartment: act.archiveDepartment,
	unarchiveDepartment: act.unarchiveDepartment
};
