/**
 * socket.io on the shared HTTP server: websocket transport only (no sticky sessions needed),
 * authenticated in middleware before the connection exists.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { roomNames, type ClientToServerEvents, type OnlinePerson, type ServerToClientEvents } from '#lib/protocol/room-events.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';

export interface SocketData {
	principal: Principal;
}

export type RoomServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RoomSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RoomServerOptions {
	httpServer: HttpServer;
	authenticator: Authenticator;
	log: Logger;
	metrics: Metrics;
	/** Extra handlers per connected socket (meeting mode, board rooms). */
	onConnection?: Array<(socket: RoomSocket, io: RoomServer) => void>;
	/** With several instances: the Redis adapter (`server/redis/socketio-adapter.ts`); in memory otherwise. */
	adapter?: ServerOptions['adapter'];
}

export function createRoomServer(options: RoomServerOptions): RoomServer {
	const { authenticator, log, metrics } = options;
	const io: RoomServer = new Server(options.httpServer, {
		path: '/socket.io/',
		transports: ['websocket'],
		serveClient: false,
		destroyUpgrade: false,
		maxHttpBufferSize: 65_536,
		pingInterval: 20_000,
		pingTimeout: 20_000,
		...(options.adapter ? { adapter: options.adapter } : {})
	});

	io.use(async (socket, next) => {
		const handshake = socket.handshake;
		const token = typeof handshake.auth?.token === 'string' ? handshake.auth.token : typeof handshake.query.token === 'string' ? handshake.query.token : undefined;
		const authenticated = await authenticator
			.authenticate({ authorization: handshake.headers.authorization, cookie: handshake.headers.cookie, queryToken: token })
			.catch((error: unknown) => {
				log.error({ err: error }, 'socket.io authentication failed');
				return undefined;
			});
		if (!authenticated) {
			metrics.rejected.inc({ reason: 'unauthenticated' });
			return next(Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated' } }));
		}
		socket.data.principal = authenticated.principal;
		next();
	});

	io.on('connection', (socket) => {
		metrics.socketConnections.inc();
		const principal = socket.data.principal;
		void socket.join([roomNames.workspace, roomNames.principal(principal.id)]);
		void broadcastOnline(io);
		socket.on('presence:list', (reply) => {
			if (typeof reply !== 'function') return;
			void onlinePeople(io).then(reply);
		});
		socket.on('disconnect', () => {
			metrics.socketConnections.dec();
			void broadcastOnline(io);
		});
		for (const handler of options.onConnection ?? []) handler(socket, io);
	});

	return io;
}

async function onlinePeople(io: RoomServer): Promise<OnlinePerson[]> {
	const sockets = await io.in(roomNames.workspace).fetchSockets();
	const people = new Map<string, OnlinePerson>();
	for (const socket of sockets) {
		const { id, name, kind } = socket.data.principal;
		if (kind !== 'wall') people.set(id, { id, name, kind });
	}
	return [...people.values()];
}

async function broadcastOnline(io: RoomServer): Promise<void> {
	io.to(roomNames.workspace).emit('presence:online', await onlinePeople(io));
}
