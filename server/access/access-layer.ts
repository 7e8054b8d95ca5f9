/**
 * The access layer of one backend (`backend.access`): people, invites, wall displays, API tokens
 * and sessions; the HTTP door (`admit`, shared with the websocket doors: `admission.ts`), the
 * HTTP floor and socket.io's per-event checks; and the enforcement that closes live connections
 * when access ends. No module-global state: everything hangs off this instance.
 */
import type { WorkspaceChange } from '#lib/protocol/room-events.ts';
import { boardPath, type MeView } from '#lib/protocol/workspace.ts';
import type { Authenticator, Credentials } from '../auth/authenticator.ts';
import { boardAccess, isLead } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import { deviceCookieName, getSession } from '../auth/sessions.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { RoomServer } from '../rooms/room-server.ts';
import type { Store } from '../store/store.ts';
import { AccessAdmin } from './access-admin.ts';
import { ApiTokens } from './api-tokens.ts';
import type { Admission, Admitted } from './admission.ts';
import { guardRequest, type GuardedRequest, type Refusal } from './http-guard.ts';
import { InviteRedemption } from './invite-redemption.ts';
import { Invites } from './invites.ts';
import { liveAccessDefaults, LiveAccess } from './live-access.ts';
import { People } from './people.ts';
import type { RateLimiter, RateLimitRules } from './rate-limit.ts';
import { socketAccess } from './socket-access.ts';
import { WallDisplays } from './wall-displays.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export interface AccessLimits {
	/** How often live connections are re-checked against the store. */
	sweepIntervalMs: number;
	rateLimits: Partial<RateLimitRules>;
}

export const accessDefaults = {
	sweepIntervalMs: liveAccessDefaults.sweepIntervalMs,
	/** A device cookie lasts as long as browsers allow (400 days) and is renewed on every visit. */
	deviceCookieMaxAgeSeconds: 400 * 24 * 60 * 60
} as const;

export interface AccessLayerOptions {
	store: Store;
	auth: Authenticator;
	log: Logger;
	metrics: Metrics;
	/** The door check (built before the hub and socket.io; the layer closes it). */
	admission: Admission;
	/** The hub and socket.io, whose live connections the layer keeps honest. */
	hub: DocHub;
	io: RoomServer;
	limits?: Pick<Partial<AccessLimits>, 'sweepIntervalMs'>;
	/** The workspace's records (its catalogue): boards, missions, departments, and board joins. */
	workspace: WorkspaceReader & { onChange(listener: (change: WorkspaceChange) => void): () => void };
}

export class AccessLayer {
	readonly limiter: RateLimiter;
	readonly workspace: WorkspaceReader;
	readonly people: People;
	readonly invites: Invites;
	readonly walls: WallDisplays;
	readonly apiTokens: ApiTokens;
	readonly live: LiveAccess;
	readonly admin: AccessAdmin;
	readonly redemption: InviteRedemption;
	#admission: Admission;
	#store: Store;
	#auth: Authenticator;
	#log: Logger;
	#unsubscribe: (() => void) | undefined;

	constructor(options: AccessLayerOptions) {
		const { store, auth, log, metrics, admission, io } = options;
		this.#admission = admission;
		this.#store = store;
		this.#auth = auth;
		this.#log = log;
		this.limiter = admission.limiter;
		this.workspace = options.workspace;
		this.#unsubscribe = options.workspace.onChange((change) => this.#onWorkspaceChange(change));
		this.people = new People(store, log);
		this.invites = new Invites(store, this.workspace, log);
		this.walls = new WallDisplays(store, this.workspace, log);
		this.apiTokens = new ApiTokens(store, log, (principalId) => this.people.principal(principalId));
		auth.addPrincipalResolver((principalId) => this.people.principal(principalId));
		auth.addTokenResolver((token) => this.walls.principalFromToken(token));
		auth.addTokenResolver((token) => this.apiTokens.principalFromToken(token));
		this.live = new LiveAccess({
			hub: options.hub,
			io,
			workspace: this.workspace,
			current: (admitted) => this.currentPrincipal(admitted),
			log,
			sweepIntervalMs: options.limits?.sweepIntervalMs ?? accessDefaults.sweepIntervalMs
		});
		auth.onRevoked(({ credentialIds, reason }) => {
			this.live.endCredentials(credentialIds, reason).catch((error: unknown) => log.error({ err: error }, 'closing revoked connections failed'));
		});
		this.admin = new AccessAdmin({ store, auth, log, people: this.people, invites: this.invites, walls: this.walls, apiTokens: this.apiTokens, workspace: this.workspace, live: this.live });
		this.redemption = new InviteRedemption({ invites: this.invites, people: this.people, auth, workspace: this.workspace, limiter: this.limiter, log });
		io.on('connection', socketAccess({ workspace: this.workspace, current: (admitted) => this.currentPrincipal(admitted), log, metrics }));
		this.live.start();
	}

	/** Who presents these credentials from `address` (the HTTP door; see `admission.ts`). */
	admit(credentials: Credentials, address: string): Promise<Admitted> {
		return this.#admission.admit(credentials, address);
	}

	async close(): Promise<void> {
		this.live.stop();
		this.#unsubscribe?.();
		this.#unsubscribe = undefined;
		await this.#admission.close();
	}

	/**
	 * Re-checks the live connections to a board (`LiveAccess.enforceBoard`): people who can no longer
	 * see it are disconnected from this instance's `/yjs/board:<id>` (4403) and leave its socket.io
	 * room on every instance (`board:revoked`); other instances' `/yjs` peers follow at their sweep.
	 * The layer runs it on every `boards` change the workspace announces: the one place board
	 * access is revoked.
	 */
	enforceBoardAccess(boardId: string): Promise<number> {
		return this.live.enforceBoard(boardId);
	}

	/** Who an admitted principal is now (sessions, tokens and people re-read); undefined once ended. */
	async currentPrincipal(admitted: Principal): Promise<Principal | undefined> {
		// No credential record: the admin token itself, or a token type another module resolves. This
		// layer cannot re-check those (replacing the admin token does not cut connections already open).
		if (!admitted.credentialId) return admitted;
		if (admitted.kind === 'wall') return this.walls.current(admitted.credentialId);
		if (admitted.kind === 'api-token') return this.apiTokens.current(admitted.credentialId);
		const session = await getSession(this.#store, admitted.credentialId);
		if (!session) return undefined;
		const principal = await this.#auth.resolvePrincipal(session.principalId);
		return principal && { ...principal, credentialId: session.id };
	}

	/** The HTTP floor check (see http-guard.ts); undefined when the request may go on. */
	/** Whether the principal is a Missions Unit lead (`server/auth/policy.ts`). */
	isLead(principal: Principal | undefined): boolean {
		return isLead(principal);
	}

	guardRequest(request: GuardedRequest): Promise<Refusal | undefined> {
		return guardRequest(this.workspace, request);
	}

	/** "Who am I": the caller, their department and the boards they can open. */
	async me(principal: Principal): Promise<MeView> {
		const department = principal.departmentId ? await this.workspace.getDepartment(principal.departmentId) : undefined;
		const boards = (await this.workspace.listBoards())
			.filter((board) => !board.archived)
			.map((board) => ({ board, access: boardAccess(principal, board) }))
			.filter((entry): entry is { board: typeof entry.board; access: 'read' | 'write' } => entry.access !== 'none')
			.sort((a, b) => a.board.title.localeCompare(b.board.title))
			.map(({ board, access }) => ({ id: board.id, title: board.title, path: boardPath(board.id), access }));
		return {
			id: principal.id,
			kind: principal.kind,
			name: principal.name,
			role: principal.role,
			department: department && { id: department.id, name: department.name, code: department.code },
			boards
		};
	}

	/**
	 * A wall display's `?token=` exchanged for its device cookie (undefined when the token is not a
	 * live wall-display token). The kiosk browser keeps the cookie; the token leaves the address bar.
	 */
	async deviceCookie(token: string): Promise<{ name: string; value: string; maxAgeSeconds: number } | undefined> {
		const principal = await this.walls.principalFromToken(token);
		return principal ? { name: deviceCookieName, value: token, maxAgeSeconds: accessDefaults.deviceCookieMaxAgeSeconds } : undefined;
	}

	#onWorkspaceChange(change: WorkspaceChange): void {
		if (change.kind === 'access' && change.id) {
			// One person's access changed elsewhere (a mission's advisory board): re-check their connections.
			this.live.enforcePrincipal(change.id).catch((error: unknown) => this.#log.error({ err: error, change }, 'enforcing access failed'));
			return;
		}
		if (change.kind !== 'boards' && change.kind !== 'departments') return;
		const done = change.kind === 'boards' && change.id ? this.enforceBoardAccess(change.id) : this.live.sweep();
		done.catch((error: unknown) => this.#log.error({ err: error, change }, 'enforcing board access failed'));
	}
}
