/**
 * Meeting capture through the JSON API against a real server: decisions and actions land in the
 * board document tagged with the meeting (seen live by a y-websocket client); the next meeting of
 * the same forum opens with the open actions the last one left, and each can be marked done,
 * re-planned (a slip) or carried forward to the meeting after. Playlists: leads set them, anyone
 * who can see the mission reads them, bad ones are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRecords, validRecords } from '../src/lib/board/board-doc.ts';
import { boardDocName } from '../src/lib/protocol/doc-names.ts';
import { defaultPlaylistItems } from '../src/lib/protocol/meeting.ts';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';
import { addPrincipal, api, createMission, type MissionFixture } from './wall-fixtures.ts';

type Started = { meetingId: string; boardId: string; forum: string };
type Captured = { ref: string; id: string; register: string; boardId: string };
type Agenda = { items: Array<{ action: { id: string; ref: string; status: string; due: string; replans: unknown[] }; review?: { outcome: string } }> };

const viewerToken = 'viewer-token-for-capture-tests-0001';

describe('meeting capture and the inherited-action review (JSON API)', () => {
	let server: TestServer;
	let mission: MissionFixture;
	let watcher: TestClient;

	const start = async (forum = 'Missions Board') => {
		const { status, body } = await api<Started>(server, '/api/meetings', { body: { missionId: mission.missionId, forum } });
		expect(status).toBe(201);
		return body;
	};
	const end = async (meetingId: string) => expect((await api(server, `/api/meetings/${meetingId}/end`, { method: 'POST' })).status).toBe(200);
	const capture = (meetingId: string, body: unknown) => api<Captured>(server, `/api/meetings/${meetingId}/records`, { body });
	const actions = () => validRecords(listRecords(watcher.doc, 'actions'));

	beforeAll(async () => {
		server = await startTestServer();
		mission = await createMission(server);
		watcher = connectClient(server.wsUrl, boardDocName(mission.boardIds[0]!));
		await watcher.synced;
		addPrincipal(server, viewerToken, { id: 'person:viewer2', kind: 'person', name: 'Vic Viewer', role: 'viewer', departmentId: mission.departmentIds[0] });
	});

	afterAll(async () => {
		watcher?.destroy();
		await server?.close();
	});

	it('records decisions and actions on the board, tagged with the meeting, live', async () => {
		const meeting = await start();
		const decision = await capture(meeting.meetingId, { kind: 'decision', text: 'Fund the retrofit pilot from the reserve', decisionMakers: ['Ravi Kumar'] });
		expect(decision.status).toBe(201);
		expect(decision.body.ref).toMatch(/^DEC-\d+$/);
		const action = await capture(meeting.meetingId, { kind: 'action', text: 'Send the revised cost model to HMT', owner: 'Hannah Reid', due: '2026-07-01' });
		expect(action.body.ref).toMatch(/^ACT-\d+$/);

		await eventually(() => {
			const decisions = validRecords(listRecords(watcher.doc, 'decisions'));
			expect(decisions.find((d) => d.id === decision.body.id)).toMatchObject({ forum: 'Missions Board', decisionMakers: [{ name: 'Ravi Kumar' }] });
			expect(actions().find((a) => a.id === action.body.id)).toMatchObject({ owner: { name: 'Hannah Reid' }, due: '2026-07-01', meeting: { id: meeting.meetingId } });
		});
		const { body } = await api<{ meeting: { captured: Captured[] } }>(server, `/api/meetings/${meeting.meetingId}`);
		expect(body.meeting.captured.map((entry) => entry.ref)).toEqual([decision.body.ref, action.body.ref]);

		expect((await capture(meeting.meetingId, { kind: 'action', text: 'No owner', due: '2026-07-01' })).status).toBe(400);
		expect((await capture(meeting.meetingId, { kind: 'action', text: 'Bad date', owner: 'X', due: '2026-02-30' })).status).toBe(400);
		expect((await capture(meeting.meetingId, { kind: 'decision', text: 'Elsewhere', boardId: 'NotOurBoard1' })).status).toBe(404);
		expect((await api(server, `/api/meetings/${meeting.meetingId}/records`, { token: viewerToken, body: { kind: 'decision', text: 'A viewer cannot' } })).status).toBe(403);
		await end(meeting.meetingId);
	});

	it('opens the next meeting of the forum with the open actions; done, re-planned and carried forward', async () => {
		const first = await start('Stocktake');
		const ids: Record<string, string> = {};
		for (const name of ['done', 'replan', 'carry', 'untouched']) {
			ids[name] = (await capture(first.meetingId, { kind: 'action', text: `Action to be ${name}`, owner: 'Sam Okafor', due: '2026-06-01' })).body.id;
		}
		await end(first.meetingId);

		// Another forum's meeting does not inherit them.
		const other = await start('Programme board');
		expect((await api<Agenda>(server, `/api/meetings/${other.meetingId}/agenda`)).body.items).toEqual([]);
		await end(other.meetingId);

		const second = await start('stocktake');
		const agenda = await api<Agenda>(server, `/api/meetings/${second.meetingId}/agenda`);
		expect(agenda.body.items.map((item) => item.action.id).sort()).toEqual(Object.values(ids).sort());

		const review = (body: unknown) => api(server, `/api/meetings/${second.meetingId}/reviews`, { body });
		expect((await review({ outcome: 'done', boardId: first.boardId, actionId: ids.done })).status).toBe(201);
		expect((await review({ outcome: 'replanned', boardId: first.boardId, actionId: ids.replan, due: '2026-08-01' })).status).toBe(201);
		expect((await review({ outcome: 'carried', boardId: first.boardId, actionId: ids.carry })).status).toBe(201);
		expect((await review({ outcome: 'replanned', boardId: first.boardId, actionId: ids.untouched })).status).toBe(400);
		expect((await review({ outcome: 'done', boardId: first.boardId, actionId: 'no-such-action' })).status).toBe(404);

		await eventually(() => {
			const byId = new Map(actions().map((action) => [action.id, action]));
			expect(byId.get(ids.done!)?.status).toBe('done');
			expect(byId.get(ids.replan!)).toMatchObject({ due: '2026-08-01', originalDue: '2026-06-01', status: 'open' });
			expect(byId.get(ids.replan!)?.replans).toHaveLength(1);
			expect(byId.get(ids.carry!)).toMatchObject({ due: '2026-06-01', status: 'open' });
		});
		const reviewed = await api<Agenda & { items: Array<{ review?: { outcome: string }; action: { id: string } }> }>(server, `/api/meetings/${second.meetingId}/agenda`);
		const outcomes = Object.fromEntries(reviewed.body.items.map((item) => [item.action.id, item.review?.outcome ?? null]));
		expect(outcomes).toEqual({ [ids.done!]: 'done', [ids.replan!]: 'replanned', [ids.carry!]: 'carried', [ids.untouched!]: null });
		await end(second.meetingId);

		// The meeting after: what was carried or re-planned comes again (still open); done does not;
		// the untouched one came from two meetings ago and was not carried, so it drops off the agenda.
		const third = await start('Stocktake');
		const next = await api<Agenda>(server, `/api/meetings/${third.meetingId}/agenda`);
		expect(next.body.items.map((item) => item.action.id).sort()).toEqual([ids.carry!, ids.replan!].sort());
		await end(third.meetingId);
	});

	it('keeps one running meeting per mission and lists meetings newest first', async () => {
		const running = await start();
		const again = await api<{ error: { code: string } }>(server, '/api/meetings', { body: { missionId: mission.missionId, forum: 'Missions Board' } });
		expect(again.status).toBe(409);
		expect((await api(server, `/api/meetings/${running.meetingId}/end`, { method: 'POST', token: viewerToken })).status).toBe(403);
		await end(running.meetingId);
		expect((await api(server, `/api/meetings/${running.meetingId}/end`, { method: 'POST' })).status).toBe(409);
		const list = await api<{ meetings: Array<{ id: string; startedAt: number }> }>(server, `/api/meetings?missionId=${mission.missionId}`);
		expect(list.body.meetings[0]?.id).toBe(running.meetingId);
		const startedAt = list.body.meetings.map((meeting) => meeting.startedAt);
		expect([...startedAt].sort((a, b) => b - a)).toEqual(startedAt);
		expect((await api(server, '/api/meetings?missionId=x')).status).toBe(400);
	});

	it('lets leads set a playlist, anyone who sees the mission read it, and refuses bad ones', async () => {
		const path = `/api/playlists/${mission.missionId}`;
		const initial = await api<{ custom: boolean; items: unknown[] }>(server, path, { token: viewerToken });
		expect(initial.status).toBe(200);
		expect(initial.body).toMatchObject({ custom: false });
		expect(initial.body.items).toEqual(defaultPlaylistItems);
		expect(initial.body.items).toContainEqual({ view: 'since', seconds: 20 });
		const items = [{ view: 'map', seconds: 45 }, { view: 'summary', seconds: 10 }];
		expect((await api(server, path, { method: 'PUT', body: { items }, token: viewerToken })).status).toBe(403);
		expect((await api(server, path, { method: 'PUT', body: { items: [] } })).status).toBe(400);
		expect((await api(server, path, { method: 'PUT', body: { items: [{ view: 'map', seconds: 2 }] } })).status).toBe(400);
		expect((await api(server, path, { method: 'PUT', body: { items: [{ view: 'gallery', seconds: 20 }] } })).status).toBe(400);
		expect((await api(server, path, { method: 'PUT', body: { items } })).body).toMatchObject({ custom: true, items, updatedBy: 'admin' });
		expect((await api(server, path, { token: viewerToken })).body).toMatchObject({ items });
		expect((await api(server, path, { method: 'DELETE' })).body).toMatchObject({ custom: false });
		expect((await api(server, '/api/playlists/NoSuchMission1')).status).toBe(404);
	});
});
