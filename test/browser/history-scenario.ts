/**
 * A board with a history worth reading, made by real principals through real clients: Priya Shah of
 * DfE (joined through an invite link) changes a dependency through the JSON API (forecast, status) and
 * with a stock y-websocket client (a rating, a comment, a rewritten deliverable). Shared by the history
 * and activity browser tests and the screenshot script.
 */
import { setRating, updateRecord, addComment } from '../../src/lib/board/board-doc.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { api, createInvite, docClient, redeem, type Person } from '../access-fixture.ts';
import { eventually } from '../helpers/clients.ts';
import { testAdminToken, type TestServer } from '../helpers/server.ts';

const admin = { bearer: testAdminToken };

export interface HistoryScenario {
	priya: Person;
	/** Department ids by code. */
	departments: Record<string, string>;
	/** The dependency Priya changed (the board's DEP-1). */
	dependency: { id: string; ref: string; title: string };
	/** Forecast before and after Priya's change (ISO dates). */
	forecast: { before: string; after: string };
}

function addDays(day: string, n: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Priya joins DfE as an editor; the board gets DfE if it has not already. */
export async function joinAsEditor(server: TestServer, boardId: string, code: string, name: string): Promise<{ person: Person; departments: Record<string, string> }> {
	const list = (await api(server, 'GET', '/api/departments', admin)).body as { departments: Array<{ id: string; code: string }> };
	const departments = Object.fromEntries(list.departments.map((department) => [department.code, department.id]));
	const departmentId = departments[code];
	if (!departmentId) throw new Error(`no department ${code} in the workspace`);
	const board = (await api(server, 'GET', `/api/boards/${boardId}`, admin)).body as { departmentIds: string[] };
	if (!board.departmentIds.includes(departmentId)) {
		const joined = await api(server, 'POST', `/api/boards/${boardId}/departments`, { ...admin, body: { departmentId } });
		if (joined.status !== 200) throw new Error(`could not add ${code} to the board: ${joined.text}`);
	}
	const invite = await createInvite(server, { departmentId, role: 'editor' });
	return { person: await redeem(server, invite.token, name), departments };
}

export async function historyScenario(server: TestServer, boardId: string): Promise<HistoryScenario> {
	const { person: priya, departments } = await joinAsEditor(server, boardId, 'DfE', 'Priya Shah');
	const dep = (await api(server, 'GET', `/api/boards/${boardId}/dependencies/DEP-1`, admin)).body as { id: string; ref: string; title: string; forecast: string | null; neededBy: string | null };
	const before = dep.forecast ?? dep.neededBy ?? '2026-03-12';
	const after = addDays(before, 49);
	const patched = await api(server, 'PATCH', `/api/boards/${boardId}/dependencies/${dep.ref}`, { cookie: priya.cookie, body: { forecast: after } });
	if (patched.status !== 200) throw new Error(`Priya could not change the forecast: ${patched.text}`);

	const client = docClient(server, boardDocName(boardId), { cookie: priya.cookie });
	try {
		await client.synced;
		const me = { name: priya.name, id: priya.principalId };
		// A moment apart, as a person works: the history shows one line per moment, person and record.
		const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
		setRating(client.doc, dep.id, { rating: 'red', narrative: 'The data agreement is still unsigned' }, me);
		await pause();
		addComment(client.doc, 'dependencies', dep.id, { text: 'Legal expect to sign by the end of the month.' }, me);
		await pause();
		updateRecord(client.doc, 'dependencies', dep.id, { deliverable: 'A weekly extract of childcare take-up by local authority, with a data dictionary' }, me);
		await eventually(async () => {
			const page = (await api(server, 'GET', `/api/boards/${boardId}/dependencies/${dep.id}/history?field=deliverable`, admin)).body as { entries: Array<{ field: string }> };
			if (page.entries.length === 0) throw new Error('the ledger does not have the deliverable yet');
		});
	} finally {
		client.destroy();
	}
	return { priya, departments, dependency: { id: dep.id, ref: dep.ref, title: dep.title }, forecast: { before, after } };
}
