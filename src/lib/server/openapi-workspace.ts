/** The OpenAPI table of missions, boards, board records, departments and workspace settings. */
import { z } from 'zod';
import { registerNames, registerNouns, registerSchemas, type RegisterName } from '#lib/protocol/records.ts';
import {
	boardDepartmentInput,
	boardView,
	createBoardInput,
	createDepartmentInput,
	createMissionInput,
	department,
	missionView,
	patchBoardInput,
	patchDepartmentInput,
	patchMissionInput,
	patchWorkspaceSettingsInput,
	sampleState,
	workspaceSettings
} from '#lib/protocol/workspace.ts';
import { issueSchema, listOf, objectOf, ref, type ApiOperation, type ApiSpec, type NamedSchema } from './openapi-helpers.ts';
import { asAtQuery } from './openapi-history.ts';

const capitalise = (word: string) => word[0]!.toUpperCase() + word.slice(1);
const recordName = (register: RegisterName) => capitalise(registerNouns[register]);

const archivedQuery = { name: 'archived', description: 'include archived items', schema: { type: 'string', enum: ['true', 'false'], default: 'false' } };
const confirmQuery = { name: 'confirm', description: 'must be "true": the delete is permanent', schema: { type: 'string', enum: ['true'] }, required: true };

function schemas(): Record<string, NamedSchema> {
	const named: Record<string, NamedSchema> = {
		Mission: { schema: missionView, io: 'output' },
		MissionCreate: { schema: createMissionInput, io: 'input' },
		MissionPatch: { schema: patchMissionInput, io: 'input' },
		Board: { schema: boardView, io: 'output' },
		BoardCreate: { schema: createBoardInput, io: 'input' },
		BoardPatch: { schema: patchBoardInput, io: 'input' },
		BoardDepartment: { schema: boardDepartmentInput, io: 'input' },
		Department: { schema: department, io: 'output' },
		DepartmentCreate: { schema: createDepartmentInput, io: 'input' },
		DepartmentPatch: { schema: patchDepartmentInput, io: 'input' },
		WorkspaceSettings: { schema: workspaceSettings, io: 'output' },
		WorkspaceSettingsPatch: { schema: patchWorkspaceSettingsInput, io: 'input' },
		SampleState: { schema: sampleState, io: 'output' }
	};
	for (const register of registerNames) {
		const name = recordName(register);
		const { record, create, patch } = registerSchemas[register];
		named[name] = { schema: (record as z.ZodObject).extend({ path: z.string().describe('the record on its board: /boards/<id>?ref=DEP-12') }), io: 'output' };
		named[`${name}Create`] = { schema: create, io: 'input' };
		named[`${name}Patch`] = { schema: patch, io: 'input' };
	}
	return named;
}

function recordOperations(): ApiOperation[] {
	const operations: ApiOperation[] = [];
	for (const register of registerNames) {
		const name = recordName(register);
		const noun = registerNouns[register];
		const base = `/api/boards/{id}/${register}`;
		const list = objectOf({
			records: { type: 'array', items: ref(name) },
			invalid: { type: 'array', description: 'records stored in a shape that fails validation', items: objectOf({ id: { type: 'string' }, register: { type: 'string' }, issues: { type: 'array', items: issueSchema() } }) }
		});
		operations.push(
			{ method: 'get', path: base, summary: `The board's ${register}, in ref order (as they stood at \`asAt\` when given)`, tag: register, query: [archivedQuery, asAtQuery], response: { status: 200, schema: list }, errors: [400, 404, 409] },
			{ method: 'post', path: base, summary: `Create a ${noun} (everyone on the board sees it live)`, tag: register, body: `${name}Create`, response: { status: 201, schema: ref(name) }, errors: [400, 403, 404], boardAction: 'createRecord' },
			{ method: 'get', path: `${base}/{ref}`, summary: `One ${noun} by short ref or id (as it stood at \`asAt\` when given)`, tag: register, query: [asAtQuery], response: { status: 200, schema: ref(name) }, errors: [400, 404, 409] },
			{ method: 'patch', path: `${base}/{ref}`, summary: `Change a ${noun}`, tag: register, body: `${name}Patch`, response: { status: 200, schema: ref(name) }, errors: [400, 403, 404, 409], boardAction: 'updateRecord' },
			{ method: 'delete', path: `${base}/{ref}`, summary: `Archive a ${noun} (it keeps its ref)`, tag: register, response: { status: 200, schema: ref(name) }, errors: [403, 404, 409], boardAction: 'deleteRecord' }
		);
	}
	return operations;
}

export function workspaceSpec(): ApiSpec {
	const operations: ApiOperation[] = [
		{ method: 'get', path: '/api/missions', summary: 'Missions you can see, each with its visible boards', tag: 'missions', query: [archivedQuery], response: { status: 200, schema: listOf('missions', 'Mission') }, errors: [400] },
		{ method: 'post', path: '/api/missions', summary: 'Create a mission (leads)', tag: 'missions', body: 'MissionCreate', response: { status: 201, schema: ref('Mission') }, errors: [400, 403] },
		{ method: 'get', path: '/api/missions/{id}', summary: 'One mission with its visible boards', tag: 'missions', response: { status: 200, schema: ref('Mission') }, errors: [404] },
		{ method: 'patch', path: '/api/missions/{id}', summary: 'Rename, describe, archive or unarchive a mission (leads)', tag: 'missions', body: 'MissionPatch', response: { status: 200, schema: ref('Mission') }, errors: [400, 403, 404] },
		{ method: 'delete', path: '/api/missions/{id}', summary: 'Delete an archived mission, its boards and their documents for good (leads)', tag: 'missions', query: [confirmQuery], response: { status: 204, description: 'deleted' }, errors: [400, 403, 404, 409] },
		{ method: 'get', path: '/api/missions/{id}/boards', summary: "The mission's boards you can see, with their counts", tag: 'boards', query: [archivedQuery], response: { status: 200, schema: listOf('boards', 'Board') }, errors: [400, 404] },
		{ method: 'post', path: '/api/missions/{id}/boards', summary: 'Create a board in a mission (leads)', tag: 'boards', body: 'BoardCreate', response: { status: 201, schema: ref('Board') }, errors: [400, 403, 404, 409] },
		{ method: 'get', path: '/api/boards', summary: 'Every board you can see', tag: 'boards', query: [archivedQuery], response: { status: 200, schema: listOf('boards', 'Board') }, errors: [400] },
		{ method: 'get', path: '/api/boards/{id}', summary: 'One board with your access level and its counts (as they stood at `asAt` when given: access is then read)', tag: 'boards', query: [asAtQuery], response: { status: 200, schema: { allOf: [ref('Board'), objectOf({ access: { type: 'string', enum: ['read', 'write'] } })] } }, errors: [400, 404, 409] },
		{ method: 'patch', path: '/api/boards/{id}', summary: 'Rename, describe, archive, or set the departments of a board (leads)', tag: 'boards', body: 'BoardPatch', response: { status: 200, schema: ref('Board') }, errors: [400, 403, 404] },
		{ method: 'delete', path: '/api/boards/{id}', summary: 'Delete an archived board and its document for good (leads)', tag: 'boards', query: [confirmQuery], response: { status: 204, description: 'deleted' }, errors: [400, 403, 404, 409] },
		{ method: 'post', path: '/api/boards/{id}/departments', summary: 'A department joins the board (leads)', tag: 'boards', body: 'BoardDepartment', response: { status: 200, schema: ref('Board') }, errors: [400, 403, 404] },
		{ method: 'delete', path: '/api/boards/{id}/departments/{departmentId}', summary: "A department leaves the board (leads); its members' connections to it close", tag: 'boards', response: { status: 200, schema: ref('Board') }, errors: [403, 404] },
		...recordOperations(),
		{ method: 'get', path: '/api/departments', summary: 'The department registry', tag: 'departments', query: [archivedQuery], response: { status: 200, schema: listOf('departments', 'Department') }, errors: [400] },
		{ method: 'post', path: '/api/departments', summary: 'Add a department (leads)', tag: 'departments', body: 'DepartmentCreate', response: { status: 201, schema: ref('Department') }, errors: [400, 403, 409] },
		{ method: 'get', path: '/api/departments/{id}', summary: 'One department', tag: 'departments', response: { status: 200, schema: ref('Department') }, errors: [404] },
		{ method: 'patch', path: '/api/departments/{id}', summary: 'Rename, recode, recolour or archive a department (leads)', tag: 'departments', body: 'DepartmentPatch', response: { status: 200, schema: ref('Department') }, errors: [400, 403, 404] },
		{ method: 'get', path: '/api/workspace', summary: 'Workspace settings', tag: 'workspace', response: { status: 200, schema: ref('WorkspaceSettings') }, errors: [] },
		{ method: 'patch', path: '/api/workspace', summary: 'Change workspace settings (leads)', tag: 'workspace', body: 'WorkspaceSettingsPatch', response: { status: 200, schema: ref('WorkspaceSettings') }, errors: [400, 403] },
		{ method: 'get', path: '/api/workspace/sample', summary: 'Whether the sample mission is loaded', tag: 'workspace', response: { status: 200, schema: objectOf({ sample: { anyOf: [ref('SampleState'), { type: 'null' }] } }) }, errors: [] },
		{ method: 'post', path: '/api/workspace/sample', summary: 'Load the sample mission (leads)', tag: 'workspace', response: { status: 201, schema: objectOf({ sample: ref('SampleState') }) }, errors: [403, 409] },
		{
			method: 'post',
			path: '/api/workspace/merge-fields',
			summary: 'One field per idea: on every board, a dependency’s owner becomes its provider’s owner and a title the first line of its text; safe to run again (leads)',
			tag: 'workspace',
			response: { status: 200, schema: objectOf({ boards: { type: 'integer' }, written: { type: 'integer' } }) },
			errors: [403]
		},
		{ method: 'delete', path: '/api/workspace/sample', summary: 'Remove the sample mission, its boards and unused sample departments (leads)', tag: 'workspace', response: { status: 200, schema: objectOf({ removed: { type: 'boolean' } }) }, errors: [403] },
		{ method: 'get', path: '/api/openapi.json', summary: 'This document', tag: 'meta', response: { status: 200, schema: { type: 'object' } }, errors: [], public: true }
	];
	return { tags: ['missions', 'boards', ...registerNames, 'departments', 'workspace', 'meta'], schemas: schemas(), operations };
}
