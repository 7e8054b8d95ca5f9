/**
 * Invite links: a lead invites a department with a role, an expiry and a maximum number of uses.
 * The secret is in the link only; the record keeps its hash. With a board it is a board join link:
 * redeeming it also joins the department to that board.
 */
import { collections, inviteRecord, type CreateInviteInput, type InvitePreview, type InviteRecord, type InviteStatus, type InviteView } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import { AccessError, notFoundMessages } from './errors.ts';
import { listValidRecords, revokeRecord } from './revocation.ts';
import { issueToken, parseToken, secretMatches } from './tokens.ts';
import type { WorkspaceReader } from './workspace-reader.ts';

const inviteDefaults = { maxCasAttempts: 20 } as const;

/** The same answer for an unknown id and a wrong secret. */
const invalidMessage = 'This link is not valid. Ask the person who sent it for a new one.';

export function inviteStatus(invite: InviteRecord, now = Date.now()): InviteStatus {
	if (invite.revokedAt !== undefined) return 'revoked';
	if (now >= invite.expiresAt) return 'expired';
	if (invite.uses >= invite.maxUses) return 'used_up';
	return 'active';
}

export function inviteView(invite: InviteRecord, now = Date.now()): InviteView {
	const { secretHash: _secretHash, ...rest } = invite;
	return { ...rest, status: inviteStatus(invite, now) };
}

/** The page a link opens: `/invite/<token>`, or `/join/<token>` for a board join link. */
export function invitePath(token: string, boardId: string | undefined): string {
	return `${boardId ? '/join' : '/invite'}/${token}`;
}

const statusErrors = {
	expired: () => new AccessError('invite_expired', 'This invite has expired. Ask the person who sent it for a new one.'),
	used_up: () => new AccessError('invite_used_up', 'This invite has been used as many times as it allows. Ask the person who sent it for a new one.'),
	revoked: () => new AccessError('invite_revoked', 'This invite was withdrawn. Ask the person who sent it for a new one.')
} as const;

export class Invites {
	#store: RecordStore;
	#workspace: WorkspaceReader;
	#log: Logger;

	constructor(store: RecordStore, workspace: WorkspaceReader, log: Logger) {
		this.#store = store;
		this.#workspace = workspace;
		this.#log = log;
	}

	async create(input: CreateInviteInput & { expiresInHours: number; maxUses: number; role: InviteRecord['role'] }, creator: Principal): Promise<{ invite: InviteView; token: string; path: string }> {
		const department = await this.#workspace.getDepartment(input.departmentId);
		if (!department || department.archived) throw new AccessError('invalid_request', 'choose a department that exists (archived departments cannot be invited)');
		if (input.boardId) {
			const board = await this.#workspace.getBoard(input.boardId);
			if (!board || board.archived) throw new AccessError('invalid_request', 'choose a board that exists and is not archived');
		}
		const { id, token, secretHash } = issueToken('invite');
		const now = Date.now();
		const record = inviteRecord.parse({
			id,
			departmentId: input.departmentId,
			role: input.role,
			boardId: input.boardId,
			email: input.email,
			secretHash,
			expiresAt: now + input.expiresInHours * 3_600_000,
			// An invite sent to one address is for that one person.
			maxUses: input.email ? 1 : input.maxUses,
			uses: 0,
			createdByName: creator.name,
			createdAt: now,
			createdBy: creator.id,
			updatedAt: now,
			updatedBy: creator.id
		});
		await this.#store.putRecord(collections.invites, id, record);
		this.#log.info({ invite: id, department: record.departmentId, role: record.role, board: record.boardId, by: creator.id }, 'invite created');
		return { invite: inviteView(record, now), token, path: invitePath(token, record.boardId) };
	}

	async list(): Promise<InviteView[]> {
		const now = Date.now();
		const invites = await listValidRecords(this.#store, collections.invites, inviteRecord);
		return invites.map((invite) => inviteView(invite, now)).sort((a, b) => b.createdAt - a.createdAt);
	}

	async revoke(id: string, by: string): Promise<InviteView> {
		const { record, revoked } = await revokeRecord(this.#store, collections.invites, inviteRecord, id, by, {
			notFound: notFoundMessages.invite,
			conflict: 'this invite is being changed by someone else; try again'
		});
		if (revoked) this.#log.info({ invite: id, by }, 'invite revoked');
		return inviteView(record);
	}

	/**
	 * Who invited whom to what, for the page a link opens. Throws `invite_invalid` for an unknown
	 * id or a wrong secret (the same answer for both); a valid but spent link is described with
	 * its status, so the person knows whom to ask.
	 */
	async preview(token: string): Promise<InvitePreview> {
		const { invite } = await this.#find(token);
		const department = await this.#workspace.getDepartment(invite.departmentId);
		if (!department) throw new AccessError('invite_invalid', invalidMessage);
		const board = invite.boardId ? await this.#workspace.getBoard(invite.boardId) : undefined;
		if (invite.boardId && !board) throw new AccessError('invite_invalid', invalidMessage);
		return {
			status: inviteStatus(invite),
			invitedBy: invite.createdByName,
			department: { id: department.id, name: department.name, code: department.code },
			role: invite.role,
			board: board && { id: board.id, title: board.title },
			email: invite.email,
			expiresAt: invite.expiresAt
		};
	}

	/** Uses the invite once (atomically: two people cannot both take its last use). */
	async consume(token: string): Promise<InviteRecord> {
		for (let attempt = 0; attempt < inviteDefaults.maxCasAttempts; attempt++) {
			const { raw, invite } = await this.#find(token);
			const status = inviteStatus(invite);
			if (status !== 'active') throw statusErrors[status]();
			const department = await this.#workspace.getDepartment(invite.departmentId);
			if (!department || department.archived) throw new AccessError('invite_invalid', invalidMessage);
			const next = { ...invite, uses: invite.uses + 1 };
			if (await this.#store.compareAndSetRecord(collections.invites, invite.id, raw, next)) return next;
		}
		throw new AccessError('conflict', 'many people are using this invite at once; try again');
	}

	/** Gives back a use taken by `consume` when what followed failed. */
	async release(inviteId: string): Promise<void> {
		for (let attempt = 0; attempt < inviteDefaults.maxCasAttempts; attempt++) {
			const raw = await this.#store.getRecord(collections.invites, inviteId);
			const parsed = inviteRecord.safeParse(raw);
			if (!parsed.success || parsed.data.uses === 0) return;
			if (await this.#store.compareAndSetRecord(collections.invites, inviteId, raw, { ...parsed.data, uses: parsed.data.uses - 1 })) return;
		}
	}

	async #find(token: string): Promise<{ raw: unknown; invite: InviteRecord }> {
		const parsed = parseToken(token, 'invite');
		if (!parsed) throw new AccessError('invite_invalid', invalidMessage);
		const raw = await this.#store.getRecord(collections.invites, parsed.id);
		const record = inviteRecord.safeParse(raw);
		if (!record.success || !secretMatches(parsed.secret, record.data.secretHash)) throw new AccessError('invite_invalid', invalidMessage);
		return { raw, invite: record.data };
	}
}
