import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const principal = locals.principal;
	return {
		me: principal ? { id: principal.id, name: principal.name, role: principal.role, kind: principal.kind } : undefined
	};
};
