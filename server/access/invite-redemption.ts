/**
 * Opening and redeeming invite links (rate limited per client address). Redeeming makes a person
 * in the invite's department with its role and starts a session; a board join link also joins the
 * department to its board. A member of that department who is already signed in joins the board
 * without becoming a new person.
 */
import { boardPath, personName, type InvitePreview, type PersonRecord } from '#lib/protocol/workspace.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import { AccessError } from './errors.ts';
import type { Invites } from './invites.ts';
import { principalOfPerson, type People } from './people.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

export interface InviteRedemptionParts {
	invites: Invites;
	people: People;
	auth: Authenticator;
	workspace: WorkspaceReader;
	limiter: RateLimiter;
	log: Logger;
}

export interface Redeemed {
	/** The new session's cookie value: set it as `mc_session` (httpOnly, SameSite=Lax). */
	cookieValue: string;
	person: PersonRecord;
	/** Where to go next: the board of a join link, else the home page. */
	path: string;
}

export interface ClientInfo {
	/** The client's address, for rate limits. */
	address: string;
	userAgent?: string | undefined;
}

export class InviteRedemption {
	#parts: InviteRedemptionParts;

	constructor(parts: InviteRedemptionParts) {
		this.#parts = parts;
	}

	async #limit(client: ClientInfo): Promise<void> {
		const verdict = await this.#parts.limiter.take('invite', client.address);
		if (!verdict.allowed) {
			const seconds = verdict.retryAfterSeconds;
			throw new AccessError('rate_limited', `Too many attempts from your network. Wait ${seconds} seconds and try again.`, { retryAfterSeconds: seconds });
		}
	}

	/** Who invited whom to what (`invite_invalid` for a link we did not issue). */
	async preview(token: string, client: ClientInfo): Promise<InvitePreview> {
		await this.#limit(client);
		return this.#parts.invites.preview(token);
	}

	async redeem(token: string, name: unknown, client: ClientInfo): Promise<Redeemed> {
		await this.#limit(client);
		const parsedName = personName.safeParse(name);
		if (!parsedName.success) throw new AccessError('invalid_request', parsedName.error.issues[0]?.message ?? 'give your name');
		const invite = await this.#parts.invites.consume(token);
		let person: PersonRecord;
		try {
			// An invite sent to an address someone already has signs that person in: a returning
			// person is the same person, never a duplicate.
			const existing = invite.email ? await this.#parts.people.findByEmail(invite.email) : undefined;
			person = existing ?? (await this.#parts.people.create({ name: parsedName.data, departmentId: invite.departmentId, role: invite.role, inviteId: invite.id, email: invite.email }, invite.createdBy));
		} catch (error) {
			await this.#parts.invites.release(invite.id);
			throw error;
		}
		const principal = principalOfPerson(person);
		if (invite.boardId) await this.#parts.workspace.joinBoard(invite.boardId, invite.departmentId, principal.id);
		const { cookieValue } = await this.#parts.auth.startSession(principal.id, client.userAgent?.slice(0, 300));
		this.#parts.log.info({ invite: invite.id, person: person.id, department: person.departmentId, role: person.role, board: invite.boardId }, 'invite redeemed');
		return { cookieValue, person, path: invite.boardId ? boardPath(invite.boardId) : '/' };
	}

	/**
	 * A board join link opened by someone already signed in as a member of its department: the
	 * department joins the board (one use of the link). Returns the board's page.
	 */
	async joinAsMember(token: string, caller: Principal, client: ClientInfo): Promise<string> {
		await this.#limit(client);
		const preview = await this.#parts.invites.preview(token);
		if (!preview.board) throw new AccessError('invalid_request', 'this is an invite to the workspace, not to a board');
		if (caller.kind !== 'person' || caller.departmentId !== preview.department.id) {
			throw new AccessError('forbidden', `this link is for ${preview.department.name}; you are signed in for another department`);
		}
		const invite = await this.#parts.invites.consume(token);
		if (invite.boardId) await this.#parts.workspace.joinBoard(invite.boardId, invite.departmentId, caller.id);
		this.#parts.log.info({ invite: invite.id, person: caller.id, board: invite.boardId }, 'board join link used by a member');
		return boardPath(preview.board.id);
	}
}
