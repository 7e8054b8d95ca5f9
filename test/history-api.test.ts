/**
 * The accountable record through the JSON API: the board's history and a record's history (paged,
 * filtered), the board "as at" a past moment, and what changed since the mission's last meeting, on
 * a scripted scenario of edits by three principals (the API, a stock y-websocket client, another
 * person). Bad moments and queries get clear 4xx answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecord, updateRecord } from '#lib/board/board-doc.ts';
import { escalateBlocker, replanAction, setRating } from '#lib/board/history.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { api, buildAccessFixture, docClient, type AccessFixture, type DocClient } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { countPastLoads } from './helpers/past-loads.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
import { historyDefaults } from '../server/ledger/board-history.ts';

interface Page {
	entries: Array<{ at: number; by: { id: string; name: string }; ref: string; register: string; field: string; before: unknown; after: unknown }>;
	nextCursor: number | null;
}

describe('history, as-at and changes through the JSON API', () => {
	let server: TestServer;
	let world: AccessFixture;
	let boardId: string;
	const clients: DocClient[] = [];
	const admin = { bearer: testAdminToken };
	const ids: Record<string, string> = {};
	let beforeMeetingEnded = 0;
	let meetingEnded = 0;

	beforeAll(async () => {
		server = await startTestServer();
		world = await buildAccessFixture(server);
		boardId = world.boardX.id;
		const dep = await api(server, 'POST', `/api/boards/${boardId}/dependencies`, {
			...admin,
			body: { title: 'Skills data share', providerDepartment: world.departments.a, receiverDepartment: world.departments.b, providerOwner: { name: 'Ann' }, receiverOwner: { name: 'Bo' }, deliverable: 'Monthly data', neededBy: '2027-03-01', forecast: '2027-02-01', rating: 'amber' }
		});
		ids.dep = (dep.body as { id: string }).id;
		const blocker = await api(server, 'POST', `/api/boards/${boardId}/blockers`, {
			...admin,
			body: { title: 'No data sharing agreement', unblocker: 'DfE legal', ask: 'Sign the agreement', raisedOn: '2026-11-01', owner: { name: 'Ann' } }
		});
		ids.blocker = (blocker.body as { id: string }).id;
		const action = await api(server, 'POST', `/api/boards/${boardId}/actions`, { ...admin, body: { text: 'Draft the data agreement', owner: { name: 'Ann' }, due: '2027-01-15' } });
		ids.action = (action.body as { id: string }).id;

		const meeting = await api(server, 'POST', '/api/meetings', { ...admin, body: { missionId: world.missionId, forum: 'Missions Board', boardId } });
		expect(meeting.status).toBe(201);
		beforeMeetingEnded = Date.now();
		const ended = await api(server, 'POST', `/api/meetings/${(meeting.body as { meetingId: string }).meetingId}/end`, admin);
		expect(ended.status).toBe(200);
		meetingEnded = Date.now();
		await new Promise((resolve) => setTimeout(resolve, 20));

		// After the meeting: a person edits with a stock client.
		const editor = docClient(server, boardDocName(boardId), { cookie: world.editorA.cookie });
		clients.push(editor);
		await editor.synced;
		const me = { name: world.editorA.name, id: world.editorA.principalId };
		setRating(editor.doc, ids.dep!, { rating: 'red', narrative: 'Agreement not signed' }, me);
		updateRecord(editor.doc, 'dependencies', ids.dep!, { forecast: '2027-03-15' }, me);
		escalateBlocker(editor.doc, ids.blocker!, { level: 'ministers', on: '2026-12-01', forum: 'Ministerial stocktake' }, me);
		replanAction(editor.doc, ids.action!, { due: '2027-02-01', reason: 'Legal review' }, me);
		createRecord(editor.doc, 'decisions', { text: 'Escalate the agreement to ministers', decidedOn: '2026-12-01', forum: 'Missions Board', decisionMakers: [me] }, me);
		await eventually(async () => {
			const page = (await api(server, 'GET', `/api/boards/${boardId}/history?person=${encodeURIComponent(world.editorA.principalId)}`, admin)).body as Page;
			expect(page.entries.some((entry) => entry.register === 'decisions')).toBe(true);
		});
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.close();
	});

	it('lists what changed since the last meeting, exactly, in the order a meeting takes it', async () => {
		const answer = await api(server, 'GET', `/api/boards/${boardId}/changes`, { cookie: world.viewerA.cookie });
		expect(answer.status).toBe(200);
		const body = answer.body as { since: { kind: string; forum?: string }; from: string; changes: Array<{ kind: string; ref: string; summary: string; path: string }> };
		expect(body.since).toMatchObject({ kind: 'meeting', forum: 'Missions Board' });
		expect(Date.parse(body.from)).toBeGreaterThanOrEqual(beforeMeetingEnded);
		expect(Date.parse(body.from)).toBeLessThanOrEqual(meetingEnded);
		expect(body.changes.map((change) => [change.kind, change.ref, change.summary])).toEqual([
			['new_red', 'DEP-1', 'rated Red (was Amber)'],
			['slipped', 'DEP-1', 'forecast slipped 42 days to 2027-03-15'],
			['escalated', 'BLK-1', `escalated to Ministers (Ministerial stocktake) by ${world.editorA.name}`],
			['status_changed', 'BLK-1', 'status open → escalated'],
			['decided', 'DEC-1', 'decided at Missions Board'],
			['replanned', 'ACT-1', 're-planned 2027-01-15 → 2027-02-01: Legal review']
		]);
		expect(body.changes[0]?.path).toBe(`/boards/${boardId}?ref=DEP-1`);
		// Before the meeting, nothing had changed since a moment just before it ended.
		const earlier = await api(server, 'GET', `/api/boards/${boardId}/changes?from=${new Date(meetingEnded).toISOString()}&to=${new Date(meetingEnded).toISOString()}`, admin);
		expect((earlier.body as { changes: unknown[] }).changes).toEqual([]);
	});

	it('pages through the board history newest first, filtered by person, register and field, attributed by the server', async () => {
		const first = (await api(server, 'GET', `/api/boards/${boardId}/history?limit=2`, admin)).body as Page;
		expect(first.entries.length).toBeGreaterThanOrEqual(2);
		expect(first.nextCursor).toEqual(expect.any(Number));
		const second = (await api(server, 'GET', `/api/boards/${boardId}/history?limit=2&cursor=${first.nextCursor}`, admin)).body as Page;
		expect(second.entries[0]!.at).toBeLessThanOrEqual(first.entries.at(-1)!.at);
		const ratings = (await api(server, 'GET', `/api/boards/${boardId}/history?register=dependencies&field=rating`, admin)).body as Page;
		expect(ratings.entries.map((entry) => [entry.ref, entry.before, entry.after, entry.by.name])).toEqual([['DEP-1', 'amber', 'red', world.editorA.name]]);
		const byAdmin = (await api(server, 'GET', `/api/boards/${boardId}/history?person=admin&field=created`, admin)).body as Page;
		expect(byAdmin.entries.map((entry) => entry.ref).sort()).toEqual(['ACT-1', 'BLK-1', 'DEP-1']);
		const record = await api(server, 'GET', `/api/boards/${boardId}/dependencies/DEP-1/history`, { cookie: world.viewerA.cookie });
		expect(record.status).toBe(200);
		const fields = (record.body as Page).entries.map((entry) => entry.field);
		expect(fields[0]).toBe('forecast');
		expect(fields.slice(1, 4).sort()).toEqual(['narrative', 'rating', 'ratingHistory']);
		expect(fields.slice(4)).toEqual(['created']);
	});

	it('rebuilds a past moment once for reads that arrive together, and reads each past register once', async () => {
		const loads = countPastLoads(server.backend.store);
		try {
			// The six registers of one moment, as the "as at" page asks for them.
			const at = beforeMeetingEnded + 1;
			const registers = ['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions'] as const;
			const history = server.backend.history;
			const together = await Promise.all(registers.map((register) => history.recordsAsAt(adminPrincipal, boardId, register, at, { includeArchived: true })));
			expect(loads.count).toBe(1);
			const again = await history.recordsAsAt(adminPrincipal, boardId, 'dependencies', at, { includeArchived: true });
			expect(again.records).toBe(together[0]!.records);
			// A moment seconds old may still gain an update being written: asked again, the store says.
			expect(loads.count).toBe(2);
			// A settled moment (older than `settledMs`) is found again without reading the store.
			const settledMs = historyDefaults.settledMs;
			(historyDefaults as { settledMs: number }).settledMs = 0;
			try {
				await history.recordsAsAt(adminPrincipal, boardId, 'blockers', at);
				expect(loads.count).toBe(3);
				const settled = await Promise.all(registers.map((register) => history.recordsAsAt(adminPrincipal, boardId, register, at, { includeArchived: true })));
				expect(loads.count).toBe(3);
				expect(settled[0]!.records).toBe(together[0]!.records);
			} finally {
				(historyDefaults as { settledMs: number }).settledMs = settledMs;
			}
			expect(again.records.map((record) => [record.ref, record.rating])).toEqual([['DEP-1', 'amber']]);
			const answer = await api(server, 'GET', `/api/boards/${boardId}/dependencies?asAt=${new Date(at).toISOString()}&archived=true`, admin);
			expect((answer.body as { records: unknown[] }).records).toEqual(JSON.parse(JSON.stringify(together[0]!.records)));
		} finally {
			loads.restore();
		}
	});

	it('shows the board as it stood at the end of the meeting, and refuses moments it cannot show', async () => {
		const at = new Date(meetingEnded).toISOString();
		const past = await api(server, 'GET', `/api/boards/${boardId}/dependencies/DEP-1?asAt=${at}`, admin);
		expect(past.status).toBe(200);
		expect(past.body).toMatchObject({ asAt: at, rating: 'amber', forecast: '2027-02-01' });
		const board = await api(server, 'GET', `/api/boards/${boardId}?asAt=${at}`, { cookie: world.editorA.cookie });
		expect(board.body).toMatchObject({ asAt: at, access: 'read', counts: { dependencies: { red: 0 } } });
		const boardNow = await api(server, 'GET', `/api/boards/${boardId}`, { cookie: world.editorA.cookie });
		expect(boardNow.body).toMatchObject({ access: 'write', counts: { dependencies: { red: 1 } } });
		const list = await api(server, 'GET', `/api/boards/${boardId}/decisions?asAt=${at}`, admin);
		expect((list.body as { records: unknown[] }).records).toEqual([]);
		const now = await api(server, 'GET', `/api/boards/${boardId}/dependencies/DEP-1`, admin);
		expect(now.body).toMatchObject({ rating: 'red', forecast: '2027-03-15', updatedBy: { id: world.editorA.principalId } });

		const future = await api(server, 'GET', `/api/boards/${boardId}/dependencies?asAt=2999-01-01T00:00:00Z`, admin);
		expect([future.status, (future.body as { error: { code: string } }).error.code]).toEqual([400, 'invalid_request']);
		const beforeBoard = await api(server, 'GET', `/api/boards/${boardId}/dependencies?asAt=2001-01-01T00:00:00Z`, admin);
		expect(beforeBoard.status).toBe(404);
		for (const bad of ['yesterday', '2026-13-45T00:00:00Z', '1e999', '']) {
			const answer = await api(server, 'GET', `/api/boards/${boardId}/dependencies?asAt=${encodeURIComponent(bad)}`, admin);
			expect(answer.status, bad).toBe(400);
		}
		const badQuery = await api(server, 'GET', `/api/boards/${boardId}/history?limit=100000`, admin);
		expect(badQuery.status).toBe(400);
		const hidden = await api(server, 'GET', `/api/boards/${world.boardY.id}/history`, { cookie: world.editorA.cookie });
		expect(hidden.status).toBe(404);
		const hiddenChanges = await api(server, 'GET', `/api/boards/${world.boardY.id}/changes`, { cookie: world.editorA.cookie });
		expect(hiddenChanges.status).toBe(404);
	});
});
