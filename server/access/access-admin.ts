/**
 * What leads (and each person, for their own sessions and tokens) may manage: people, invites,
 * wall displays, API tokens and sessions. Every method takes the caller's principal and checks it;
 * every revocation closes the live connections it concerns at once.
 */
import {
	createApiTokenInput,
	createInviteInput,
	createWallDisplayInput,
	patchPersonInput,
	type ApiTokenView,
	type CreateInviteInput,
	type CreateWallDisplayInput,
	type InviteView,
	type PatchPersonInput,
	type PersonView,
	type SessionView,
	type WallDisplayView
} from '#lib/protocol/workspace.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { isLead } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import { deleteSession, deleteSessionsOf, getSession, listSessions } from '../auth/sessions.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { ApiTokens } from './api-tokens.ts';
import { AccessError, notFoundMessages } from './errors.ts';
import type { Invites } from './invites.ts';
import type { LiveAccess } from './live-access.ts';
import { personIdOf, personPrincipalId, type People } from './people.ts';
import type { WallDisplays } from './wall-displays.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export interface AccessAdminParts {
	store: Store;
	auth: Authenticator;
	log: Logger;
	people: People;
	invites: Invites;
	walls: WallDisplays;
	apiTokens: ApiTokens;
	workspace: WorkspaceReader;
	live: LiveAccess;
}

export function requireLead(principal: Principal | undefined, what: string): asserts principal is Principal {
	if (!principal) throw new AccessError('unauthenticated', 'sign in first');
	if (!isLead(principal)) throw new AccessError('forbidden', `only Missions Unit leads can ${what}`);
}

function requireSignedIn(principal: Principal | undefined): asserts principal is Principal {
	if (!principal) throw new AccessError('unauthenticated', 'sign in first');
}

function invalid(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): AccessError {
	const issue = error.issues[0];
	const where = issue?.path.map(String).join('.');
	return Object.assign(new AccessError('invalid_request', where ? `${where}: ${issue?.message}` : (issue?.message ?? 'invalid request')), {
		issues: error.issues.map((item) => ({ path: item.path.map(String), message: item.message }))
	});
}

export class AccessAdmin {
	#parts: AccessAdminParts;

	constructor(parts: AccessAdminParts) {
		this.#parts = parts;
	}

	// ── People ──────────────────────────────────────────────────────────────

	async listPeople(caller: Principal | undefined): Promise<PersonView[]> {
		requireLead(caller, 'list people');
		const [people, sessions] = await Promise.all([this.#parts.people.list(), listSessions(this.#parts.store)]);
		const counts = new Map<string, number>();
		for (const session of sessions) counts.set(session.principalId, (counts.get(session.principalId) ?? 0) + 1);
		return people.map((person) => {
			const principalId = personPrincipalId(person.id);
			return { ...person, principalId, sessions: counts.get(principalId) ?? 0 };
		});
	}

	async getPerson(caller: Principal | undefined, id: string): Promise<PersonView> {
		requireLead(caller, 'see people');
		const person = await this.#parts.people.get(id);
		if (!person) throw new AccessError('not_found', notFoundMessages.person);
		const principalId = personPrincipalId(person.id);
		return { ...person, principalId, sessions: (await listSessions(this.#parts.store, principalId)).length };
	}

	/** Changes a person's name, department or role; their open connections are re-checked at once. */
	async updatePerson(caller: Principal | undefined, id: string, input: PatchPersonInput | unknown): Promise<PersonView> {
		requireLead(caller, 'change people');
		const parsed = patchPersonInput.safeParse(input);
		if (!parsed.success) throw invalid(parsed.error);
		if (parsed.data.departmentId !== undefined) {
			const department = await this.#parts.workspace.getDepartment(parsed.data.departmentId);
			if (!department || department.archived) throw new AccessError('invalid_request', 'departmentId: choose a department that exists');
		}
		if (caller.id === personPrincipalId(id) && parsed.data.role !== undefined && parsed.data.role !== 'lead') {
			throw new AccessError('conflict', 'you cannot take away your own lead role: ask another lead');
		}
		await this.#parts.people.update(id, parsed.data, caller.id);
		await this.#parts.live.enforcePrincipal(personPrincipalId(id));
		return this.getPerson(caller, id);
	}

	/** Removes a person: their sessions and API tokens end and their live connections close now. */
	async removePerson(caller: Principal | undefined, id: string): Promise<void> {
		requireLead(caller, 'remove people');
		if (caller.id === personPrincipalId(id)) throw new AccessError('conflict', 'you cannot remove yourself: ask another lead');
		const principalId = personPrincipalId(id);
		const removed = await this.#parts.people.delete(id);
		if (!removed) throw new AccessError('not_found', notFoundMessages.person);
		const sessions = await deleteSessionsOf(this.#parts.store, principalId);
		const tokens = await this.#parts.apiTokens.revokeAllOf(principalId, caller.id);
		this.#parts.log.info({ person: id, by: caller.id, sessions: sessions.length, tokens: tokens.length }, 'person removed');
		this.#parts.auth.revoked({ credentialIds: [...sessions, ...tokens], reason: 'removed' });
		await this.#parts.live.enforcePrincipal(principalId);
	}

	// ── Invites and board join links ───────────────────────────────────────

	async createInvite(caller: Principal | undefined, input: CreateInviteInput | unknown): Promise<{ invite: InviteView; token: string; path: string }> {
		requireLead(caller, 'invite people');
		const parsed = createInviteInput.safeParse(input);
		if (!parsed.success) throw invalid(parsed.error);
		return this.#parts.invites.create(parsed.data, caller);
	}

	async listInvites(caller: Principal | undefined): Promise<InviteView[]> {
		requireLead(caller, 'list invites');
		return this.#parts.invites.list();
	}

	async revokeInvite(caller: Principal | undefined, id: string): Promise<InviteView> {
		requireLead(caller, 'withdraw invites');
		return this.#parts.invites.revoke(id, caller.id);
	}

	// ── Wall displays ───────────────────────────────────────────────────────

	async createWallDisplay(caller: Principal | undefined, input: CreateWallDisplayInput | unknown): Promise<{ display: WallDisplayView; token: string; path: string }> {
		requireLead(caller, 'add wall displays');
		const parsed = createWallDisplayInput.safeParse(input);
		if (!parsed.success) throw invalid(parsed.error);
		return this.#parts.walls.create(parsed.data, caller);
	}

	async listWallDisplays(caller: Principal | undefined): Promise<WallDisplayView[]> {
		requireLead(caller, 'list wall displays');
		return this.#parts.walls.list();
	}

	/** Revokes a wall display's token; the screens using it are disconnected now. */
	async revokeWallDisplay(caller: Principal | undefined, id: string): Promise<WallDisplayView> {
		requireLead(caller, 'revoke wall displays');
		const display = await this.#parts.walls.revoke(id, caller.id);
		this.#parts.auth.revoked({ credentialIds: [id], reason: 'revoked' });
		return display;
	}

	// ── API tokens ──────────────────────────────────────────────────────────

	async createApiToken(caller: Principal | undefined, input: { name: string } | unknown): Promise<{ apiToken: ApiTokenView; token: string }> {
		requireSignedIn(caller);
		if (caller.kind !== 'person') throw new AccessError('forbidden', caller.kind === 'api-token' ? 'an API token cannot make more tokens: sign in in the browser' : 'only people can have API tokens');
		const parsed = createApiTokenInput.safeParse(input);
		if (!parsed.success) throw invalid(parsed.error);
		return this.#parts.apiTokens.create(caller, parsed.data.name);
	}

	/** The caller's own tokens; a lead may ask for everyone's (`all`). */
	async listApiTokens(caller: Principal | undefined, options: { all?: boolean; principalId?: string } = {}): Promise<ApiTokenView[]> {
		requireSignedIn(caller);
		if (options.all || (options.principalId && options.principalId !== caller.id)) {
			requireLead(caller, "list other people's API tokens");
			return this.#parts.apiTokens.list(options.principalId);
		}
		return this.#parts.apiTokens.list(caller.id);
	}

	/** A person revokes their own token; a lead any token. What it opened is disconnected now. */
	async revokeApiToken(caller: Principal | undefined, id: string): Promise<ApiTokenView> {
		requireSignedIn(caller);
		const token = await this.#parts.apiTokens.get(id);
		if (!token || (token.principalId !== caller.id && !isLead(caller))) throw new AccessError('not_found', notFoundMessages.apiToken);
		const revoked = await this.#parts.apiTokens.revoke(id, caller.id);
		this.#parts.auth.revoked({ credentialIds: [id], reason: 'revoked' });
		return revoked;
	}

	// ── Sessions ────────────────────────────────────────────────────────────

	/** Sessions of the caller, or (for a lead) of anyone; `current` marks the caller's own. */
	async listSessions(caller: Principal | undefined, options: { personId?: string; currentSessionId?: string } = {}): Promise<SessionView[]> {
		requireSignedIn(caller);
		let principalId = caller.id;
		if (options.personId !== undefined && personPrincipalId(options.personId) !== caller.id) {
			requireLead(caller, "see other people's sessions");
			principalId = personPrincipalId(options.personId);
		}
		const sessions = await listSessions(this.#parts.store, principalId);
		return sessions
			.map(({ id, principalId: owner, createdAt, lastSeenAt, userAgent }) => ({ id, principalId: owner, createdAt, lastSeenAt, userAgent, current: id === options.currentSessionId }))
			.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
	}

	/** Ends a session (the caller's own, or anyone's for a lead); its websockets close now with 4401. */
	async revokeSession(caller: Principal | undefined, sessionId: string): Promise<void> {
		requireSignedIn(caller);
		const session = await getSession(this.#parts.store, sessionId);
		if (!session || (session.principalId !== caller.id && !isLead(caller))) throw new AccessError('not_found', notFoundMessages.session);
		await deleteSession(this.#parts.store, session.id);
		this.#parts.log.info({ by: caller.id, person: personIdOf(session.principalId) ?? session.principalId }, 'session revoked');
		this.#parts.auth.revoked({ credentialIds: [session.id], reason: session.principalId === caller.id ? 'signed_out' : 'revoked' });
	}
}
