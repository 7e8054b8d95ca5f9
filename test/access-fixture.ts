/**
 * The access tests' world, built through the real JSON API of a real server: departments A and B
 * (and the Missions Unit), a mission with board X joined by A and board Y joined by B, people who
 * joined through invite links (a lead, an editor of A, an editor of B, a viewer of A), a wall
 * display scoped to board X, an expired invite, a revoked session and a forged cookie.
 */
import { randomBytes } from 'node:crypto';
import { io as connectSocket, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { collections } from '#lib/protocol/workspace.ts';
import { testAdminToken, type TestServer } from './helpers/server.ts';

export interface ApiAnswer {
	status: number;
	text: string;
	body: unknown;
	headers: Headers;
}

export interface Credential {
	cookie?: string;
	bearer?: string;
	/** `?token=` on websockets, `auth.token` on socket.io. */
	token?: string;
}

export const adminCredential: Credential = { bearer: testAdminToken, token: testAdminToken };

/** A server reached over the network; `backend` only when it runs in this process. */
export type ServerLike = Pick<TestServer, 'url' | 'wsUrl'> & { backend?: TestServer['backend'] };

export async function api(server: ServerLike, method: string, path: string, options: Credential & { body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.cookie) headers.cookie = options.cookie;
	if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: 'manual' });
	const text = await response.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: response.status, text, body, headers: response.headers };
}

/**
 * An API call that must succeed: the answer's body, or a failed expectation naming the call and the
 * answer. Takes the server lazily, so a suite can make its caller before `beforeAll` starts the server.
 */
export function caller(server: () => ServerLike, as: Credential = adminCredential) {
	return async (method: string, path: string, body?: unknown): Promise<any> => {
		const answer = await api(server(), method, path, { ...as, body });
		expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
		return answer.body;
	};
}

export type Caller = ReturnType<typeof caller>;

/** The childcare example several suites share: DFE provides, DWP receives, one mission, one board both joined. */
export async function childcareBoard(call: Caller): Promise<{ provider: string; receiver: string; missionId: string; boardId: string }> {
	const provider = (await call('POST', '/api/departments', { name: 'Department for Education', code: 'DFE', colour: '#225588' })).id;
	const receiver = (await call('POST', '/api/departments', { name: 'Department for Work and Pensions', code: 'DWP', colour: '#885522' })).id;
	const missionId = (await call('POST', '/api/missions', { title: 'Break down barriers to opportunity' })).id;
	const boardId = (await call('POST', `/api/missions/${missionId}/boards`, { title: 'Childcare board', departmentIds: [provider, receiver] })).id;
	return { provider, receiver, missionId, boardId };
}

/** The id a JSON API answer gives back (or throws with the answer, so a broken fixture is obvious). */
function created<T extends object>(answer: ApiAnswer, what: string): T {
	if (answer.status !== 201 && answer.status !== 200) throw new Error(`${what}: HTTP ${answer.status} ${answer.text}`);
	return answer.body as T;
}

export interface Person {
	id: string;
	principalId: string;
	name: string;
	cookie: string;
}

export interface AccessFixture {
	departments: { unit: string; a: string; b: string };
	missionId: string;
	boardX: { id: string; title: string };
	boardY: { id: string; title: string };
	lead: Person;
	editorA: Person;
	editorB: Person;
	viewerA: Person;
	/** Signed in, then a lead revoked the session. */
	revoked: Person;
	wall: { id: string; token: string };
	/** An invite whose expiry was moved into the past in the store (in-process servers only). */
	expiredInviteToken: string;
	forgedCookie: string;
}

export async function createInvite(server: ServerLike, input: { departmentId: string; role: string; boardId?: string; maxUses?: number }, as: Credential = adminCredential): Promise<{ token: string; link: string; invite: { id: string } }> {
	return created(await api(server, 'POST', '/api/invites', { ...as, body: input }), 'invite');
}

/** Joins through an invite link as a new person; returns their session cookie. */
export async function redeem(server: ServerLike, token: string, name: string): Promise<Person> {
	const answer = await api(server, 'POST', '/api/invites/redeem', { body: { token, name } });
	const { person } = created<{ person: { id: string; principalId: string } }>(answer, `redeem for ${name}`);
	const cookie = answer.headers.get('set-cookie')?.split(';')[0];
	if (!cookie?.startsWith('mc_session=')) throw new Error(`no session cookie for ${name}`);
	return { id: person.id, principalId: person.principalId, name, cookie };
}

export async function buildAccessFixture(server: ServerLike): Promise<AccessFixture> {
	const admin = adminCredential;
	const department = async (name: string, code: string) => created<{ id: string }>(await api(server, 'POST', '/api/departments', { ...admin, body: { name, code, colour: '#335577' } }), name).id;
	const unit = await department('Missions Unit', 'MU');
	const a = await department('Department Alpha', 'ALPHA');
	const b = await department('Department Beta', 'BETA');
	const mission = created<{ id: string }>(await api(server, 'POST', '/api/missions', { ...admin, body: { title: 'Kickstart growth' } }), 'mission');
	const board = async (title: string, departmentIds: string[]) => created<{ id: string; title: string }>(await api(server, 'POST', `/api/missions/${mission.id}/boards`, { ...admin, body: { title, departmentIds } }), title);
	const boardX = await board('Board X: skills pipeline', [a]);
	const boardY = await board('Board Y: housing supply', [b]);

	const join = async (departmentId: string, role: string, name: string) => redeem(server, (await createInvite(server, { departmentId, role })).token, name);
	const lead = await join(unit, 'lead', 'Lena Lead');
	const editorA = await join(a, 'editor', 'Edna Alpha');
	const editorB = await join(b, 'editor', 'Ed Beta');
	const viewerA = await join(a, 'viewer', 'Vic Alpha');
	const revoked = await join(a, 'editor', 'Rita Revoked');
	const sessions = (await api(server, 'GET', `/api/people/${revoked.id}/sessions`, { cookie: lead.cookie })).body as { sessions: Array<{ id: string }> };
	const revokedSession = sessions.sessions[0];
	if (!revokedSession) throw new Error('the revoked person has no session');
	const revocation = await api(server, 'DELETE', `/api/people/${revoked.id}/sessions/${revokedSession.id}`, { cookie: lead.cookie });
	if (revocation.status !== 204) throw new Error(`could not revoke a session: ${revocation.status} ${revocation.text}`);

	const wall = created<{ wallDisplay: { id: string }; token: string }>(await api(server, 'POST', '/api/wall-displays', { cookie: lead.cookie, body: { name: 'Room 4 wall', boardIds: [boardX.id] } }), 'wall display');

	// An invite that expired: made normally, then its expiry moved into the past in the store.
	const expired = await createInvite(server, { departmentId: a, role: 'editor' });
	const store = server.backend?.store;
	if (store) {
		const record = (await store.getRecord(collections.invites, expired.invite.id)) as Record<string, unknown>;
		await store.putRecord(collections.invites, expired.invite.id, { ...record, expiresAt: Date.now() - 60_000 });
	}

	return {
		departments: { unit, a, b },
		missionId: mission.id,
		boardX: { id: boardX.id, title: boardX.title },
		boardY: { id: boardY.id, title: boardY.title },
		lead,
		editorA,
		editorB,
		viewerA,
		revoked,
		wall: { id: wall.wallDisplay.id, token: wall.token },
		expiredInviteToken: expired.token,
		forgedCookie: `mc_session=${randomBytes(32).toString('base64url')}`
	};
}

// ── Real clients ──────────────────────────────────────────────────────────────

/** A `ws` WebSocket class that sends a Cookie header (what a browser does on the same origin). */
function webSocketWithCookie(cookie: string | undefined): typeof globalThis.WebSocket {
	class CookieWebSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, cookie ? { headers: { cookie } } : {});
		}
	}
	return CookieWebSocket as unknown as typeof globalThis.WebSocket;
}

export interface DocClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	synced: Promise<void>;
	/** Resolves with the first close code the server sends. */
	closed: Promise<number>;
	destroy(): void;
}

/** A real y-websocket client with a cookie or `?token=`; it does not reconnect after a close. */
export function docClient(server: TestServer, docName: string, credential: Credential): DocClient {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${server.wsUrl}/yjs`, docName, doc, {
		WebSocketPolyfill: webSocketWithCookie(credential.cookie),
		disableBc: true,
		params: credential.token ? { token: credential.token } : {},
		maxBackoffTime: 60_000
	});
	const synced = new Promise<void>((resolve) => {
		provider.once('sync', (isSynced: boolean) => isSynced && resolve());
	});
	const closed = new Promise<number>((resolve) => {
		provider.on('connection-close', (event: { code: number } | null) => {
			provider.shouldConnect = false;
			resolve(event?.code ?? 1006);
		});
	});
	return {
		doc,
		provider,
		synced,
		closed,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** A real socket.io client (websocket transport) with a cookie or an auth token; resolves once connected or rejects with the server's refusal. */
export function socketClient(server: TestServer, credential: Credential): Promise<Socket> {
	const socket = connectSocket(server.url, {
		transports: ['websocket'],
		reconnection: false,
		forceNew: true,
		extraHeaders: credential.cookie ? { cookie: credential.cookie } : undefined,
		auth: credential.token ? { token: credential.token } : {}
	});
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
			socket.close();
			reject(Object.assign(new Error(error.message), { code: error.data?.code ?? error.message }));
		});
	});
}

/** The current value of `mc_rejected_total{reason}`. */
export async function rejectedCount(server: TestServer, reason: string): Promise<number> {
	const metric = await server.backend.metrics.rejected.get();
	return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

/** A fresh document with everything the store holds for `docName`. */
export async function storedDoc(server: TestServer, docName: string): Promise<Y.Doc> {
	const doc = new Y.Doc();
	for (const update of (await server.backend.store.loadDoc(docName)).updates) Y.applyUpdate(doc, update);
	return doc;
}
