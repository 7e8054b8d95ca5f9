/**
 * Form actions shared by the home, mission and department pages: each reads its fields with
 * zod, calls the workspace service, and answers `{ form, ok, message }` or `fail(4xx, …)` with
 * safe fields only (the form's name, the item, a message, per-field problems, what was typed).
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';
import { createBoardInput, createDepartmentInput, createMissionInput, entityId } from '#lib/protocol/workspace.ts';
import { backend } from '#lib/server/backend.ts';
import type { FormResult } from '#lib/components/workspace/form-result.ts';
import type { Principal } from '#lib/server/backend.ts';
import type { Workspace } from '#lib/server/backend.ts';
import { sentence } from '#lib/protocol/sentence.ts';

export type { FormResult };

type Result = FormResult | ActionFailure<FormResult>;

function textFields(data: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [key, value] of data) if (typeof value === 'string') values[key] = value.slice(0, 4000);
	return values;
}

/** Runs one form action: validation problems are 400s, workspace errors their 4xx; anything else is a bug and propagates. */
async function run(
	form: string,
	locals: App.Locals,
	request: Request,
	schema: z.ZodType,
	act: (workspace: Workspace, principal: Principal, data: never) => Promise<string>
): Promise<Result> {
	const values = textFields(await request.formData());
	const target = values.id ?? values.missionId;
	if (!locals.principal) return fail(401, { form, ok: false, target, message: 'Your session has ended: sign in again.' });
	const parsed = schema.safeParse(values);
	if (!parsed.success) {
		const fields: Record<string, string> = {};
		for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || 'form'] ??= sentence(issue.message);
		return fail(400, { form, ok: false, target, message: 'Check the highlighted fields.', fields, values });
	}
	try {
		const message = await act(backend().workspace, locals.principal, parsed.data as never);
		return { form, ok: true, target, message };
	} catch (error) {
		const known = backend().failureOf(error);
		if (!known) throw error;
		return fail(known.status, { form, ok: false, target, message: sentence(known.message), values });
	}
}


const withId = z.object({ id: entityId });
const renameMission = withId.extend({ title: createMissionInput.shape.title });
const editMission = renameMission.extend({ description: z.string().max(4000).default('') });
const newBoard = createBoardInput.pick({ title: true, description: true }).extend({ missionId: entityId });
const renameBoard = withId.extend({ title: createBoardInput.shape.title });
const boardDepartment = withId.extend({ departmentId: entityId });
const confirmDelete = withId.extend({ confirm: z.literal('yes', { message: 'Tick the box to confirm: deleting cannot be undone.' }) });
const newDepartment = createDepartmentInput.omit({ id: true });
const editDepartment = withId.extend(createDepartmentInput.omit({ id: true }).shape);

type Event = { locals: App.Locals; request: Request };

/** The actions, by name; pages pick the ones they offer. */
export const workspaceActions = {
	createMission: ({ locals, request }: Event) =>
		run('createMission', locals, request, createMissionInput, async (workspace, principal, data: z.output<typeof createMissionInput>) => {
			const mission = await workspace.createMission(principal, data);
			return `Mission “${mission.title}” created.`;
		}),
	editMission: ({ locals, request }: Event) =>
		run('editMission', locals, request, editMission, async (workspace, principal, { id, title, description }: z.output<typeof editMission>) => {
			await workspace.updateMission(principal, id, { title, description });
			return 'Mission saved.';
		}),
	renameMission: ({ locals, request }: Event) =>
		run('renameMission', locals, request, renameMission, async (workspace, principal, { id, title }: z.output<typeof renameMission>) => {
			await workspace.updateMission(principal, id, { title });
			return `Mission renamed to “${title}”.`;
		}),
	archiveMission: ({ locals, request }: Event) =>
		run('archiveMission', locals, request, withId, async (workspace, principal, { id }: z.output<typeof withId>) => {
			const mission = await workspace.updateMission(principal, id, { archived: true });
			return `Mission “${mission.title}” archived.`;
		}),
	unarchiveMission: ({ locals, request }: Event) =>
		run('unarchiveMission', locals, request, withId, async (workspace, principal, { id }: z.output<typeof withId>) => {
			const mission = await workspace.updateMission(principal, id, { archived: false });
			return `Mission “${mission.title}” restored.`;
		}),
	deleteMission: ({ locals, request }: Event) =>
		run('deleteMission', locals, request, confirmDelete, async (workspace, principal, { id }: z.output<typeof confirmDelete>) => {
			await workspace.deleteMission(principal, id, { confirm: true });
			return 'Mission deleted.';
		}),
	createBoard: ({ locals, request }: Event) =>
		run('createBoard', locals, request, newBoard, async (workspace, principal, { missionId, ...input }: z.output<typeof newBoard>) => {
			const board = await workspace.createBoard(principal, missionId, input);
			return `Board “${board.title}” created.`;
		}),
	renameBoard: ({ locals, request }: Event) =>
		run('renameBoard', locals, request, renameBoard, async (workspace, principal, { id, title }: z.output<typeof renameBoard>) => {
			await workspace.updateBoard(principal, id, { title });
			return `Board renamed to “${title}”.`;
		}),
	archiveBoard: ({ locals, request }: Event) =>
		run('archiveBoard', locals, request, withId, async (workspace, principal, { id }: z.output<typeof withId>) => {
			const board = await workspace.updateBoard(principal, id, { archived: true });
			return `Board “${board.title}” archived.`;
		}),
	unarchiveBoard: ({ locals, request }: Event) =>
		run('unarchiveBoard', locals, request, withId, async (workspace, principal, { id }: z.output<typeof withId>) => {
			const board = await workspace.updateBoard(principal, id, { archived: false });
			return `Board “${board.title}” restored.`;
		}),
	addDepartment: ({ locals, request }: Event) =>
		run('addDepartment', locals, request, boardDepartment, async (workspace, principal, { id, departmentId }: z.output<typeof boardDepartment>) => {
			const department = await workspace.getDepartment(departmentId);
			const board = await workspace.addBoardDepartment(principal, id, departmentId);
			return `${department.name} joined “${board.title}”.`;
		}),
	removeDepartment: ({ locals, request }: Event) =>
		run('removeDepartment', locals, request, boardDepartment, async (workspace, principal, { id, departmentId }: z.output<typeof boardDepartment>) => {
			const department = await workspace.getDepartment(departmentId);
			const board = await workspace.removeBoardDepartment(principal, id, departmentId);
			return `${department.name} left “${board.title}”.`;
		}),
	loadSample: ({ locals, request }: Event) =>
		run('loadSample', locals, request, z.object({}), async (workspace, principal) => {
			await backend().missions.addSample(principal, await workspace.loadSample(principal));
			return 'The sample mission is loaded. Remove it from this page when you are done.';
		}),
	removeSample: ({ locals, request }: Event) =>
		run('removeSample', locals, request, z.object({}), async (workspace, principal) => {
			const removed = await workspace.removeSample(principal);
			return removed ? 'The sample mission was removed.' : 'There was no sample mission to remove.';
		}),
	createDepartment: ({ locals, request }: Event) =>
		run('createDepartment', locals, request, newDepartment, async (workspace, principal, data: z.output<typeof newDepartment>) => {
			const department = await workspace.createDepartment(principal, data);
			return `${department.name} added.`;
		}),
	editDepartment: ({ locals, request }: Event) =>
		run('editDepartment', locals, request, editDepartment, async (workspace, principal, { id, ...patch }: z.output<typeof editDepartment>) => {
			const department = await workspace.updateDepartment(principal, id, patch);
			return `${department.name} saved.`;
		}),
	archiveDepartment: ({ locals, request }: Event) =>
		run('archiveDepartment', locals, request, withId, async (workspace, principal, { id }: z.output<typeof withId>) => {
			const department = await workspace.updateDepartment(principal, id, { archived: true });
			return `${department.name} archived.`;
		}),
	unarchiveDepartment: ({ locals, request }: Event) =>
		run('unarchiveDepartment', locals, request, withId, async (workspace, principal, { id }: z.output<typeof withId>) => {
			const department = await workspace.updateDepartment(principal, id, { archived: false });
			return `${department.name} restored.`;
		})
};
