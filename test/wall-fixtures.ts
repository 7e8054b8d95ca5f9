/**
 * Fixtures for the wall and meeting tests: a mission with boards through the JSON API, extra
 * principals through the authenticator's token-resolver seam, real socket.io clients.
 */
import { io as connectIo, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/lib/protocol/room-events.ts';
import type { MeetingReply } from '../src/lib/protocol/meeting.ts';
import type { Principal } from '../server/auth/principal.ts';
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

export function connectRoom(server: { url: string }, token: string = testAdminToken): RoomClient {
	return connectIo(server.url, { path: '/socket.io/', transports: ['websocket'], auth: { token }, reconnectionDelay: 100, reconnectionDelayMax: 500, forceNew: true });
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
