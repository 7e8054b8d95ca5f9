/**
 * Fixtures for the wall and meeting tests: a mission with boards through the JSON API, extra
 * principals through the authenticator's token-resolver seam, real socket.io clients.
 */
import { io as connectIo, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/lib/protocol/room-events.ts';
import type { MeetingReply } from '../src/lib/protocol/meeting.ts';
import type { Principal } from '../server/auth/principal.ts';
import { createRecord, readBoard, updateRecord, validRecords } from '../src/lib/board/board-doc.ts';
import { addDays, isoDateAt } from '../src/lib/board/dates.ts';
import { escalateBlocker, replanAction, setRating } from '../src/lib/board/history.ts';
import { boardDocName } from '../src/lib/protocol/doc-names.ts';
import { docClient } from './access-fixture.ts';
import { testAdminToken, type TestServer } from './helpers/server.ts';

export type RoomClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function api<T = unknown>(server: { url: string }, path: string, options: { method?: string; body?: unknown; token?: string } = {}): Promise<{ status: number; body: T }> {
	const response = await fetch(`${server.url}${path}`, {
		method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
		headers: { authorization: `Bearer ${options.token ?? testAdminToken}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: options.body === undefined ? undefined : JSON.stringify(options.body)
	});
	const text = await response.text();
	return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function created<T>(result: Promise<{ status: number; body: T }>, what: string): Promise<T> {
	const { status, body } = await result;
	if (status !== 201) throw new Error(`could not create ${what}: ${status} ${JSON.stringify(body)}`);
	return body;
}

export interface MissionFixture {
	missionId: string;
	boardIds: string[];
	departmentIds: string[];
}

/** A mission with `boards` boards, joined by two departments. */
export async function createMission(server: { url: string }, options: { title?: string; boards?: number } = {}): Promise<MissionFixture> {
	const stamp = Math.random().toString(36).slice(2, 8);
	const departments = await Promise.all(
		[
			{ name: `Treasury ${stamp}`, code: 'HMT', colour: '#af292e' },
			{ name: `Education ${stamp}`, code: 'DfE', colour: '#003a69' }
		].map((input) => created<{ id: string }>(api(server, '/api/departments', { body: input }), 'a department'))
	);
	const departmentIds = departments.map((department) => department.id);
	const mission = await created<{ id: string }>(api(server, '/api/missions', { body: { title: options.title ?? `Kickstart growth ${stamp}` } }), 'a mission');
	const boardIds: string[] = [];
	for (let i = 0; i < (options.boards ?? 1); i++) {
		const board = await created<{ id: string }>(api(server, `/api/missions/${mission.id}/boards`, { body: { title: `Workstream ${i + 1}`, departmentIds } }), 'a board');
		boardIds.push(board.id);
	}
	return { missionId: mission.id, boardIds, departmentIds };
}

/** Registers a token for a principal (the authenticator's seam the access layer also uses). */
export function addPrincipal(server: TestServer, token: string, principal: Principal): void {
	server.backend.auth.addTokenResolver(async (candidate) => (candidate === token ? principal : undefined));
}

/** A socket.io client with a token (`auth.token`), or with a session cookie (`{ cookie }`). */
export function connectRoom(server: { url: string }, credential: string | { cookie: string } = testAdminToken): RoomClient {
	const auth = typeof credential === 'string' ? { auth: { token: credential } } : { extraHeaders: { cookie: credential.cookie } };
	return connectIo(server.url, { path: '/socket.io/', transports: ['websocket'], ...auth, reconnectionDelay: 100, reconnectionDelayMax: 500, forceNew: true });
}

export function connected(socket: RoomClient): Promise<void> {
	return new Promise((resolve, reject) => {
		if (socket.connected) return resolve();
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
}

type AckEvents = 'meeting:join' | 'meeting:start' | 'meeting:end' | 'meeting:focus' | 'meeting:next' | 'meeting:prev' | 'meeting:pause' | 'meeting:handover';

/** Emits a meeting event and resolves with the acknowledgement (payloads deliberately untyped, to send bad ones). */
export function request(socket: RoomClient, event: AckEvents, payload: unknown): Promise<MeetingReply> {
	return new Promise((resolve) => {
		(socket.emit as (event: string, payload: unknown, ack: (reply: MeetingReply) => void) => void)(event, payload, resolve);
	});
}

/** The meeting from a successful reply; throws with the error otherwise. */
export function meetingOf(reply: MeetingReply) {
	if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
	return reply.meeting;
}

/** A wall display scoped to a mission, through the access API: its token and id. */
export async function createWallDisplay(server: { url: string }, missionId: string, name = 'Room 4.12 wall'): Promise<{ id: string; token: string }> {
	const body = await created<{ wallDisplay: { id: string }; token: string }>(api(server, '/api/wall-displays', { body: { name, missionIds: [missionId] } }), 'a wall display');
	return { id: body.wallDisplay.id, token: body.token };
}

export async function revokeWallDisplay(server: { url: string }, id: string): Promise<void> {
	const { status, body } = await api(server, `/api/wall-displays/${id}`, { method: 'DELETE' });
	if (status !== 200) throw new Error(`could not revoke the wall display: ${status} ${JSON.stringify(body)}`);
}

export async function setPlaylist(server: { url: string }, missionId: string, items: Array<{ view: string; seconds: number }>): Promise<void> {
	const { status, body } = await api(server, `/api/playlists/${missionId}`, { method: 'PUT', body: { items } });
	if (status !== 200) throw new Error(`could not set the playlist: ${status} ${JSON.stringify(body)}`);
}

/** A dependency that is late (forecast after needed-by), so the red-and-late view lists it. */
export function lateDependency(title: string, departmentIds: string[]) {
	return {
		title,
		providerDepartment: departmentIds[0],
		providerOwner: { name: 'Tom Hughes' },
		receiverDepartment: departmentIds[1],
		receiverOwner: { name: 'Aisha Bello' },
		deliverable: 'The data share agreement, signed',
		neededBy: '2026-01-10',
		forecast: '2026-02-20',
		status: 'at_risk',
		rating: 'red'
	};
}

/**
 * A browser context signed in as the administrator: the sign-in link sets the session cookie (the
 * page it then lands on does not matter here).
 */
export async function signedIn(browser: import('playwright-core').Browser, baseUrl: string, viewport = { width: 1440, height: 900 }) {
	const context = await browser.newContext({ baseURL: baseUrl, viewport });
	const page = await context.newPage();
	await page.goto(`/login?token=${encodeURIComponent(testAdminToken)}`);
	if (!(await context.cookies()).some((cookie) => cookie.name === 'mc_session')) throw new Error('sign-in did not set a session cookie');
	return { context, page };
}

/**
 * The scene "since the last Missions Board": a meeting of the mission starts and ends, then a
 * stock y-websocket client (the administrator) changes the first board the way a fortnight does:
 * ratings turn red, forecasts slip, a blocker is escalated, an action is re-planned and another
 * done, a decision is recorded. Returns how many changes of each kind it made.
 */
export async function changesSinceMeeting(server: TestServer, missionId: string, boardId: string): Promise<{ meetingId: string; newReds: number; slips: number }> {
	const meeting = await api<{ meetingId: string }>(server, '/api/meetings', { body: { missionId, forum: 'Missions Board', boardId } });
	if (meeting.status !== 201) throw new Error(`could not start a meeting: ${meeting.status} ${JSON.stringify(meeting.body)}`);
	const ended = await api(server, `/api/meetings/${meeting.body.meetingId}/end`, { body: {} });
	if (ended.status !== 200) throw new Error(`could not end the meeting: ${ended.status}`);
	await new Promise((resolve) => setTimeout(resolve, 20));

	const client = docClient(server, boardDocName(boardId), { token: testAdminToken });
	try {
		await client.synced;
		const me = { id: 'admin', name: 'Administrator' };
		const board = readBoard(client.doc);
		const open = validRecords(board.dependencies).filter((d) => !['delivered', 'cancelled'].includes(d.status));
		const turning = open.filter((d) => d.rating !== 'red' && d.rating !== 'amber_red').slice(0, 3);
		for (const d of turning) setRating(client.doc, d.id, { rating: 'red', narrative: 'Slipped past the milestone' }, me);
		const slipping = open.filter((d) => d.forecast).slice(0, 4);
		slipping.forEach((d, i) => updateRecord(client.doc, 'dependencies', d.id, { forecast: addDays(d.forecast!, 14 + 7 * i) }, me));
		const blocker = validRecords(board.blockers).find((b) => b.status !== 'resolved');
		if (blocker) escalateBlocker(client.doc, blocker.id, { level: 'missions_board', on: isoDateAt(Date.now()), forum: 'Missions Board' }, me);
		const actions = validRecords(board.actions).filter((a) => a.status === 'open');
		if (actions[0]) replanAction(client.doc, actions[0].id, { due: addDays(actions[0].due, 21), reason: 'Waiting for the spending review' }, me);
		if (actions[1]) updateRecord(client.doc, 'actions', actions[1].id, { status: 'done' }, me);
		createRecord(client.doc, 'decisions', { text: 'Fund the regional data pilot from the mission budget', decidedOn: isoDateAt(Date.now()), forum: 'Stocktake', decisionMakers: [me] }, me);
		// Give the server a moment to store what it received.
		await new Promise((resolve) => setTimeout(resolve, 300));
		return { meetingId: meeting.body.meetingId, newReds: turning.length, slips: slipping.length };
	} finally {
		client.destroy();
	}
}
