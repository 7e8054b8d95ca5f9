/**
 * socket.io: websocket transport only (no sticky sessions needed), authenticated in middleware
 * before the connection exists. Created before the services that emit to its rooms or handle its
 * events (they add their `connection` handlers in their constructors); attached to the shared
 * HTTP server later (`io.attach`, in `Backend.attach`).
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { roomNames, type ClientToServerEvents, type OnlinePerson, type ServerToClientEvents } from '#lib/protocol/room-events.ts';
import type { Credentials } from '../auth/authenticator.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { Metrics, RejectReason } from '../metrics.ts';
import { presenceLists, presenceRoom, visiblePresence } from '../access/presence.ts';

export interface SocketData {
	principal: Principal;
}

/** Events between the instances (`io.serverSideEmit`; relayed by the Redis adapter, dropped by the in-memory one). */
export interface RoomServerSideEvents {
	/** A mission's meeting changed in the store: drop the copy (server/meetings/meeting-cluster.ts). */
	'meeting:invalidate': (missionId: string) => void;
	/** A webhook was registered, changed or removed: read the hooks again (server/webhooks/webhooks.ts). */
	'webhooks:changed': () => void;
}

export type RoomServer = Server<ClientToServerEvents, ServerToClientEvents, RoomServerSideEvents, SocketData>;
export type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, RoomServerSideEvents, SocketData>;

export interface RoomServerOptions {
	log: Logger;
	metrics: Metrics;
	/** With several instances: the Redis adapter (`server/redis/socketio-adapter.ts`); in memory otherwise. */
	adapter?: ServerOptions['adapter'];
	/** Who may connect: the access layer's checks (origin, credentials, connection caps). */
	admission: SocketAdmission;
}

/** A handshake refused: `code` reaches the client as `connect_error` `data.code`. */
export type HandshakeRefusal = { code: 'unauthenticated' | 'rate_limited' | 'too_many_connections'; reason: RejectReason };

export interface SocketAdmission {
	/**
	 * engine.io's `allowRequest`, before the websocket exists: a refusal message (the upgrade is
	 * answered 403), or undefined to go on.
	 */
	refuseRequest(request: IncomingMessage): string | undefined;
	/** Authenticates a handshake: the principal and a release for its connection place, or the refusal. */
	admit(credentials: Credentials, request: IncomingMessage): Promise<{ principal: Principal; release: () => void } | HandshakeRefusal>;
}

/** socket.io's path; its engine claims every upgrade under it. */
export const socketIoPath = '/socket.io/';

export const roomServerDefaults = {
	/** Who-is-online updates are coalesced over this window. */
	onlineBroadcastMs: 100
} as const;

export function createRoomServer(options: RoomServerOptions): RoomServer {
	const { log, metrics } = options;
	const io: RoomServer = new Server({
		path: socketIoPath,
		transports: ['websocket'],
		serveClient: false,
		destroyUpgrade: false,
		allowRequest: (request, callback) => {
			const refusal = options.admission.refuseRequest(request);
			if (refusal) metrics.rejected.inc({ reason: 'cross_site' });
			callback(refusal ?? null, refusal === undefined);
		},
		maxHttpBufferSize: 65_536,
		pingInterval: 20_000,
		pingTimeout: 20_000,
		...(options.adapter ? { adapter: options.adapter } : {})
	});

	io.use(async (socket, next) => {
		const handshake = socket.handshake;
		const token = typeof handshake.auth?.token === 'string' ? handshake.auth.token : typeof handshake.query.token === 'string' ? handshake.query.token : undefined;
		const credentials = { authorization: handshake.headers.authorization, cookie: handshake.headers.cookie, queryToken: token };
		const admitted = await options.admission.admit(credentials, socket.request).catch((error: unknown): HandshakeRefusal => {
			log.error({ err: error }, 'socket.io authentication failed');
			return { code: 'unauthenticated', reason: 'unauthenticated' };
		});
		if ('code' in admitted) {
			metrics.rejected.inc({ reason: admitted.reason });
			return next(Object.assign(new Error(admitted.code), { data: { code: admitted.code } }));
		}
		socket.data.principal = admitted.principal;
		socket.once('disconnect', admitted.release);
		next();
	});

	// Who is online is sent once per window, however many sockets come and go in it (a restart
	// reconnects every wall and laptop at once): one fetchSockets per window, not one per socket.
	let onlineTimer: NodeJS.Timeout | undefined;
	const scheduleOnline = () => {
		onlineTimer ??= setTimeout(() => {
			onlineTimer = undefined;
			broadcastOnline(io).catch((error: unknown) => log.warn({ err: error }, 'could not send who is online'));
		}, roomServerDefaults.onlineBroadcastMs).unref();
	};

	io.on('connection', (socket) => {
		metrics.socketConnections.inc();
		const principal = socket.data.principal;
		const audience = presenceRoom(principal);
		void socket.join([roomNames.workspace, roomNames.principal(principal.id), ...(audience ? [audience] : [])]);
		scheduleOnline();
		socket.on('presence:list', (reply) => {
			if (typeof reply !== 'function') return;
			void onlinePrincipals(io).then((online) => reply(visiblePresence(socket.data.principal, online)));
		});
		socket.on('disconnect', () => {
			metrics.socketConnections.dec();
			scheduleOnline();
		});
	});

	return io;
}

async function onlinePrincipals(io: RoomServer): Promise<Principal[]> {
	const sockets = await io.in(roomNames.workspace).fetchSockets();
	return sockets.map((socket) => socket.data.principal);
}

/** Each audience gets the people it may see: leads everyone, a department its own people and the leads. */
async function broadcastOnline(io: RoomServer): Promise<void> {
	const lists: Map<string, OnlinePerson[]> = presenceLists(await onlinePrincipals(io));
	for (const [room, people] of lists) io.to(room).emit('presence:online', people);
}

/**
 * Whether socket.io's adapter sends server-side events to other instances: true when it overrides
 * `serverSideEmit` of the base in-memory adapter (the class right above EventEmitter), as the
 * Redis adapter does.
 */
export function relaysServerSideEvents(io: RoomServer): boolean {
	const adapter = io.of('/').adapter;
	let base: object | null = Object.getPrototypeOf(adapter) as object | null;
	while (base && Object.getPrototypeOf(base) !== EventEmitter.prototype) base = Object.getPrototypeOf(base) as object | null;
	if (!base) return true;
	return adapter.serverSideEmit !== (base as { serverSideEmit?: unknown }).serverSideEmit;
}
