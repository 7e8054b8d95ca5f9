/**
 * The backend factory: config in, a running backend out (store, auth, document hub, socket.io,
 * health and metrics). No module-global state, so a test can run several in one process.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AccessLayer, type AccessLimits } from './access/access-layer.ts';
import { Admission } from './access/admission.ts';
import { ensureAdminToken } from './auth/admin-token.ts';
import { Authenticator } from './auth/authenticator.ts';
import { adminPrincipal } from './auth/principal.ts';
import type { Config } from './config.ts';
import { AppError, failureOf, type AppErrorOptions, type ErrorCode, type Failure } from './errors.ts';
import { DocHub, rejectUpgrade, type HubLimits } from './hub/doc-hub.ts';
import { cutOffAfter, stopCutOff } from './hub/upgrade-cut-off.ts';
import { BoardHistory } from './ledger/board-history.ts';
import type { MeetingRecord } from '#lib/protocol/meeting.ts';
import { AsAtReadings } from './ledger/as-at-readings.ts';
import { SinceLastMeeting } from './meetings/since-last-meeting.ts';
import { rulesFor } from './ledger/board-rules.ts';
import { HistoryRetention } from './ledger/retention.ts';
import type { HubHooks } from './hub/hooks.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import type { RedisRelay, RelayLimits } from './redis/relay.ts';
import type { SocketAdapter } from './redis/socketio-adapter.ts';
import { createRoomServer, socketIoPath, type RoomServer } from './rooms/room-server.ts';
import { createStore } from './store/index.ts';
import type { Store } from './store/store.ts';
import { version } from './version.ts';
import { Catalogue } from './workspace/catalogue.ts';
import { Workspace } from './workspace/workspace.ts';
import { MissionHeaders } from './workspace/mission-headers.ts';
import { RecordPulse } from './workspace/record-pulse.ts';
import { Meetings } from './meetings/meetings.ts';
import { Identity } from './identity/identity.ts';
import type { OutboxLimits } from './identity/mail-outbox.ts';
import type { DigestLimits } from './notifications/daily-digest.ts';
import { Notifications } from './notifications/notifications.ts';
import { MissionTracker } from './missions/mission-tracker.ts';
import { Exports } from './exports/exports.ts';
import { RaidImport } from './import/raid-import.ts';
import { MeetingPacks } from './exports/meeting-pack.ts';
import { Webhooks } from './webhooks/webhooks.ts';
import type { DeliveryLimits } from './webhooks/webhook-deliveries.ts';

export interface BackendOptions {
	/** Use this store instead of the one the config names (tests). */
	store?: Store;
	hubLimits?: Partial<HubLimits>;
	instanceId?: string;
	/** Extra hub hooks (the Redis relay, rate limits). */
	hooks?: HubHooks[];
	/** Anti-entropy interval and other relay limits (with REDIS_URL only). */
	relayLimits?: Partial<RelayLimits>;
	/** Rate limits and the live-access sweep interval (`server/access/`). */
	accessLimits?: Partial<AccessLimits>;
	/** How often the mail outbox looks for mail to send, and its back-off (tests shorten them). */
	outboxLimits?: Partial<OutboxLimits>;
	/** Webhook delivery polling, back-off and give-up times (tests shorten them). */
	webhookLimits?: Partial<DeliveryLimits>;
	/** How often the daily digest looks at the clock, and its lease (tests shorten them). */
	digestLimits?: Partial<DigestLimits>;
	/** How long after a meeting's start or end its boards are read and the reading kept (tests shorten it). */
	asAtReadings?: { settleMs?: number };
}

export interface Health {
	status: 'ok' | 'unavailable';
	version: string;
	store: Store['kind'];
	/** How updates and presence reach the other instances: through Redis, or not at all (one instance). */
	fanOut: 'redis' | 'none';
	instance: string;
	uptimeSeconds: number;
	docsLoaded: number;
	error?: string;
}

export const healthDefaults = { storePingTimeoutMs: 2_000 } as const;

export class Backend {
	readonly config: Config;
	readonly instanceId: string;
	readonly version = version;
	readonly log: Logger;
	readonly metrics: Metrics;
	readonly store: Store;
	readonly auth: Authenticator;
	readonly hub: DocHub;
	/** socket.io: made first, attached to the HTTP server by `attach`. */
	readonly io: RoomServer;
	/** People, invites, wall displays, API tokens, sessions and every access check (`server/access/`). */
	readonly access: AccessLayer;
	/** With REDIS_URL: the relay of updates and presence between instances (`server/redis/relay.ts`). */
	readonly relay: RedisRelay | undefined;
	/** With REDIS_URL: socket.io's Redis adapter, so room events reach every instance. */
	readonly socketAdapter: SocketAdapter | undefined;
	/** Missions, boards, departments, settings and the sample mission (`server/workspace/`). */
	readonly workspace: Workspace;
	/** The boards' ledger and past states, read with the reader's access checked. */
	readonly history: BoardHistory;
	/** Plain readings of boards kept at meetings' starts and ends, for "as at" that meeting. */
	readonly readings: AsAtReadings;
	/** The mission header of the home page and the mission pages. */
	readonly missionHeaders: MissionHeaders;
	/** Announces record changes (throttled) so open pages refresh their counts. */
	readonly recordPulse: RecordPulse;
	/** Prunes old update copies when HISTORY_RETENTION_DAYS is set (day ends and meetings stay answerable). */
	readonly retention: HistoryRetention | undefined;
	/** Meeting mode, meeting capture and wall playlists (`server/meetings/`). */
	readonly meetings: Meetings;
	/** Single sign-on, sign-in links and invites by email, the approval queue (`server/identity/`). */
	readonly identity: Identity;
	/** In-app and email notifications from the ledger, preferences, unsubscribe, digests (`server/notifications/`). */
	readonly notifications: Notifications;
	/** Mission leadership, targets, milestones, confidence and the Missions Board view (`server/missions/`). */
	readonly missions: MissionTracker;
	/** Board and mission exports: CSV, XLSX, HTML (`server/exports/`). */
	readonly exports: Exports;
	/** RAID import of CSV and XLSX files into a board (`server/import/`). */
	readonly raidImport: RaidImport;
	/** What changed since the last meeting: for the meeting page and the walls. */
	readonly sinceLastMeeting: SinceLastMeeting;
	/** Meeting packs (agenda or record) as HTML and tagged PDF (`server/exports/meeting-pack.ts`). */
	readonly packs: MeetingPacks;
	/** Webhooks per mission: signed deliveries of board and meeting events (`server/webhooks/`). */
	readonly webhooks: Webhooks;
	/** Set when an admin token was generated at this start: the one time it can be shown. */
	readonly generatedAdminToken: string | undefined;
	#attached = false;
	#startedAt = Date.now();
	#closing: Promise<void> | undefined;

	constructor(parts: {
		config: Config;
		instanceId: string;
		log: Logger;
		metrics: Metrics;
		store: Store;
		auth: Authenticator;
		hub: DocHub;
		io: RoomServer;
		access: AccessLayer;
		identity: Identity;
		notifications: Notifications;
		catalogue: Catalogue;
		generatedAdminToken: string | undefined;
		webhookLimits?: Partial<DeliveryLimits>;
		asAtReadings?: BackendOptions['asAtReadings'];
		relay?: RedisRelay;
		socketAdapter?: SocketAdapter;
	}) {
		this.config = parts.config;
		this.instanceId = parts.instanceId;
		this.log = parts.log;
		this.metrics = parts.metrics;
		this.store = parts.store;
		this.auth = parts.auth;
		this.hub = parts.hub;
		this.io = parts.io;
		this.access = parts.access;
		this.identity = parts.identity;
		this.notifications = parts.notifications;
		this.relay = parts.relay;
		this.socketAdapter = parts.socketAdapter;
		this.workspace = new Workspace({ store: parts.store, catalogue: parts.catalogue, hub: parts.hub, log: parts.log, io: parts.io });
		this.missions = new MissionTracker({ store: parts.store, hub: parts.hub, workspace: this.workspace, log: parts.log });
		parts.hub.hooks.push(this.missions.hubHooks);
		this.workspace.onChange((change) => {
			if (change.kind === 'missions' && change.id) void this.#forgetDeletedMission(change.id);
		});
		this.raidImport = new RaidImport({ workspace: this.workspace, hub: parts.hub, store: parts.store, log: parts.log });
		this.webhooks = new Webhooks({
			store: parts.store,
			hub: parts.hub,
			workspace: parts.access.workspace,
			people: parts.access.people,
			outbox: () => parts.identity.outbox,
			origin: parts.config.origin,
			allowedNetworks: parts.config.webhookAllowedNetworks,
			instanceId: parts.instanceId,
			version,
			log: parts.log,
			limits: parts.webhookLimits,
			io: parts.io
		});
		parts.hub.hooks.push(this.webhooks.hubHooks);
		this.readings = new AsAtReadings({ store: parts.store, log: parts.log, settleMs: parts.asAtReadings?.settleMs });
		this.meetings = new Meetings({
			store: parts.store,
			workspace: parts.catalogue,
			hub: parts.hub,
			log: parts.log,
			metrics: parts.metrics,
			io: parts.io,
			onStarted: (meeting) => void this.#keepReadings(meeting, meeting.startedAt),
			onEnded: (meeting) => {
				this.webhooks.meetingEnded(meeting);
				if (meeting.endedAt !== null) void this.#keepReadings(meeting, meeting.endedAt);
			}
		});
		this.history = new BoardHistory({
			store: parts.store,
			workspace: this.workspace,
			readings: this.readings,
			lastMeetingEnd: async (missionId, at) => {
				const ended = (await this.meetings.records.list(missionId)).filter((m) => m.endedAt !== null && m.endedAt <= at);
				const last = ended.sort((a, b) => b.endedAt! - a.endedAt!)[0];
				return last && { id: last.id, title: last.title, forum: last.forum, endedAt: last.endedAt! };
			}
		});
		this.exports = new Exports({ workspace: this.workspace, hub: parts.hub, history: this.history });
		this.missionHeaders = new MissionHeaders({ hub: parts.hub, history: this.history, workspace: this.workspace });
		this.recordPulse = new RecordPulse({ announce: (change) => this.workspace.announce(change) });
		parts.hub.hooks.push(this.recordPulse.hubHooks);
		this.sinceLastMeeting = new SinceLastMeeting({ store: parts.store, workspace: parts.catalogue, records: this.meetings.records, history: this.history });
		this.packs = new MeetingPacks({ meetings: this.meetings, workspace: this.workspace, hub: parts.hub, since: this.sinceLastMeeting, missions: this.missions });
		this.generatedAdminToken = parts.generatedAdminToken;
		const retentionDays = parts.config.historyRetentionDays;
		this.retention =
			retentionDays === undefined
				? undefined
				: new HistoryRetention({ store: parts.store, log: parts.log, retentionDays, meetingMoments: (boardId) => this.#meetingMoments(boardId) });
		this.retention?.start();
	}

	/** An error of the backend's hierarchy (`server/errors.ts`), for routes to throw. */
	error(code: ErrorCode, message: string, options?: AppErrorOptions): AppError {
		return new AppError(code, message, options);
	}

	/** What an error answers (status, code, message), or undefined for a bug: the one place routes ask. */
	failureOf(error: unknown): Failure | undefined {
		return failureOf(error);
	}

	/** Keeps a reading of each board of the meeting's missions as at `at` (its start or end), for "as at" that meeting. */
	async #keepReadings(meeting: MeetingRecord, at: number): Promise<void> {
		try {
			for (const missionId of new Set([meeting.missionId, ...meeting.missionIds])) {
				for (const board of await this.workspace.catalogue.boardsOf(missionId)) void this.readings.keep(board.id, at);
			}
		} catch (error) {
			this.log.warn({ err: error, meeting: meeting.id }, 'could not list the meeting’s boards to keep their readings');
		}
	}

	/** When each meeting of the board's mission started and ended (the moments retention keeps). */
	async #meetingMoments(boardId: string): Promise<number[]> {
		const board = await this.workspace.catalogue.boards.get(boardId);
		if (!board) return [];
		return (await this.meetings.records.list(board.missionId)).flatMap((meeting) => [meeting.startedAt, ...(meeting.endedAt === null ? [] : [meeting.endedAt])]);
	}

	/** A deleted mission's tracking records go with it. */
	async #forgetDeletedMission(missionId: string): Promise<void> {
		try {
			if (!(await this.workspace.findMission(missionId))) await this.missions.forgetMission(missionId);
		} catch (error) {
			this.log.error({ err: error, mission: missionId }, 'could not remove a deleted mission’s tracking records');
		}
	}

	/** Mounts `/yjs` and socket.io on the HTTP server. */
	attach(server: HttpServer): void {
		// Every upgrade is claimed or answered, then closed: `/yjs/<doc>` goes to the hub, `/socket.io/…`
		// to socket.io (its engine listens too, and answers what it cannot use), anything else gets a 404.
		// An upgrade that is not a websocket within `upgradeTimeoutMs` is cut off (the hub stops the
		// cut-off once the websocket exists), and so is a connection that has not finished its first
		// request's headers by then (Node's own headersTimeout is checked lazily and let such upgrades
		// sit for minutes). The listeners are the same functions for every socket: nothing is
		// allocated per connection and left on it for its life (`server/hub/upgrade-cut-off.ts`).
		const { upgradeTimeoutMs } = this.hub.limits;
		const onUpgradeError = (error: Error) => this.log.debug({ err: error }, 'upgrade socket error');
		server.on('connection', (socket: Socket) => cutOffAfter(socket, upgradeTimeoutMs));
		server.on('request', (request: IncomingMessage) => stopCutOff(request.socket));
		server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
			socket.on('error', onUpgradeError);
			cutOffAfter(socket, upgradeTimeoutMs);
			const path = request.url ?? '';
			if (path.startsWith(socketIoPath)) return;
			if (!path.startsWith('/yjs/')) {
				this.metrics.rejected.inc({ reason: 'bad_doc_name' });
				return rejectUpgrade(socket, 'not_found', 'nothing to upgrade here: websockets are served at /yjs/<document> and /socket.io/');
			}
			this.hub.handleUpgrade(request, socket, head).catch((error: unknown) => {
				this.log.error({ err: error }, 'upgrade failed');
				socket.destroy();
			});
		});
		this.io.attach(server);
		this.#attached = true;
	}

	/** Serves `/healthz` and `/metrics`; returns false for every other request. */
	handleHttp(request: IncomingMessage, response: ServerResponse): boolean {
		const path = request.url?.split('?')[0];
		if (request.method !== 'GET' && request.method !== 'HEAD') return false;
		if (path === '/healthz') {
			void this.health().then((health) => {
				response.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
				response.end(JSON.stringify(health));
			});
			return true;
		}
		if (path === '/metrics') {
			void this.metrics.registry.metrics().then((text) => {
				response.writeHead(200, { 'content-type': this.metrics.registry.contentType, 'cache-control': 'no-store' });
				response.end(text);
			});
			return true;
		}
		return false;
	}

	async health(): Promise<Health> {
		const base = {
			version: this.version,
			store: this.store.kind,
			fanOut: this.relay ? ('redis' as const) : ('none' as const),
			instance: this.instanceId,
			uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
			docsLoaded: this.hub.loadedDocs.length
		};
		try {
			await withTimeout(this.store.ping(), healthDefaults.storePingTimeoutMs);
			// Without its pub/sub connections this instance would serve documents others no longer see.
			if (this.relay && !this.relay.ready) return { status: 'unavailable', ...base, error: 'redis pub/sub is reconnecting' };
			if (this.socketAdapter && !this.socketAdapter.ready) return { status: 'unavailable', ...base, error: 'socket.io redis adapter is reconnecting' };
			return { status: 'ok', ...base };
		} catch (error) {
			return { status: 'unavailable', ...base, error: error instanceof Error ? error.message : 'store unreachable' };
		}
	}

	/** Closes sockets with "going away", writes everything pending, closes the store. Idempotent. */
	close(): Promise<void> {
		this.#closing ??= (async () => {
			await this.access.close();
			this.recordPulse.close();
			// Notifications of changes already stored are written (and their mail queued) before mail stops.
			await this.notifications.close();
			await this.webhooks.close();
			await this.identity.close();
			await this.retention?.stop();
			await this.meetings.close();
			await this.readings.close();
			await this.missions.close();
			await this.hub.close();
			await this.relay?.close();
			if (this.#attached) {
				// Close this instance's transports only: clients see a transport close and reconnect
				// (to another instance behind the balancer). disconnectSockets() would go through the
				// Redis adapter to every instance, and a server-side disconnect is not retried.
				// io.close() would also close the HTTP server, which the caller owns.
				this.io.engine.close();
			}
			await this.socketAdapter?.close();
			await this.store.close();
		})();
		return this.#closing;
	}
}

export async function createBackend(config: Config, options: BackendOptions = {}): Promise<Backend> {
	const instanceId = options.instanceId ?? randomUUID().slice(0, 8);
	const log = createLogger(config.logLevel, { instance: instanceId });
	const metrics = createMetrics();
	const store = options.store ?? (await createStore({ dataDir: config.dataDir, redisUrl: config.redisUrl, databaseUrl: config.databaseUrl }));
	const { generated } = await ensureAdminToken(store, config.adminToken);
	const auth = new Authenticator(store);
	// Who may open which document, connect to socket.io and load which page: server/access/.
	// With REDIS_URL, rate-limit budgets are shared by every instance (a connection of their own).
	const rateLimitRedis =
		config.redisUrl === undefined
			? undefined
			: await (await import('./redis/redis-client.ts')).createRedisClient({ url: config.redisUrl, name: `mc-rate-limits-${instanceId}`, logger: log });
	// The workspace's records are read by the doors, the access layer and meeting mode: built first, read here only.
	const catalogue = new Catalogue({ store, log });
	// Built in dependency order: the door check, socket.io and the hub (which take it), then the services.
	const admission = new Admission({ auth, config, rateLimits: options.accessLimits?.rateLimits, redis: rateLimitRedis, workspace: catalogue });
	const scaled = config.redisUrl === undefined ? undefined : await connectScaleOut(config.redisUrl, { instanceId, store, metrics, log, relayLimits: options.relayLimits });
	const io = createRoomServer({ log, metrics, adapter: scaled?.socketAdapter.adapter, admission: admission.socketAdmission });
	const hooks = [admission.hubHooks, ...(scaled ? [scaled.relay.hooks] : []), ...(options.hooks ?? [])];
	const hub = new DocHub({ store, metrics, log, hooks, rules: rulesFor, limits: options.hubLimits });
	const access = new AccessLayer({ store, auth, log, metrics, admission, hub, io, limits: options.accessLimits, workspace: catalogue });
	const identity = new Identity({ config: config.identity, origin: config.origin, store, access, auth, hub, log, instanceId, outboxLimits: options.outboxLimits });
	const notifications = new Notifications({
		store,
		hub,
		workspace: access.workspace,
		people: access.people,
		directory: () => identity.directory(adminPrincipal),
		io,
		outbox: identity.outbox,
		origin: config.origin,
		settings: () => catalogue.settings(),
		instanceId,
		log,
		digestLimits: options.digestLimits
	});
	// The ledger is reported after the hub exists; notifications read the records it names through the hub.
	hub.hooks.push(notifications.hubHooks);
	return new Backend({ config, instanceId, log, metrics, store, auth, hub, io, access, identity, notifications, catalogue, generatedAdminToken: generated, webhookLimits: options.webhookLimits, asAtReadings: options.asAtReadings, ...scaled });
}

/**
 * With REDIS_URL: the relay between instances and socket.io's Redis adapter, each on connections of
 * its own. Imported only then, like the Redis store, so an embedded install never loads them.
 */
async function connectScaleOut(
	url: string,
	parts: { instanceId: string; store: Store; metrics: Metrics; log: Logger; relayLimits: Partial<RelayLimits> | undefined }
): Promise<{ relay: RedisRelay; socketAdapter: SocketAdapter }> {
	const [{ createRedisRelay }, { createSocketAdapter }] = await Promise.all([import('./redis/relay.ts'), import('./redis/socketio-adapter.ts')]);
	const relay = await createRedisRelay({ url, instanceId: parts.instanceId, store: parts.store, metrics: parts.metrics, log: parts.log, limits: parts.relayLimits });
	try {
		const socketAdapter = await createSocketAdapter({ url, instanceId: parts.instanceId, log: parts.log, metrics: parts.metrics });
		return { relay, socketAdapter };
	} catch (error) {
		await relay.close();
		throw error;
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
		promise.then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error: unknown) => {
				clearTimeout(timer);
				reject(error instanceof Error ? error : new Error(String(error)));
			}
		);
	});
}
