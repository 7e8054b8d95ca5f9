/**
 * The approval queue: a person who signed in through single sign-on from an allowed domain, whom
 * nobody knows yet, waits here (collection `access-requests`, one record per address) until a lead
 * lets them in (a person is made with that verified address, in the department and role the lead
 * chose) or declines. The next sign-in finds the person by their address.
 */
import { createHash } from 'node:crypto';
import { accessRequest, approveAccessInput, type AccessRequest, type ApproveAccessInput } from '#lib/protocol/identity.ts';
import type { PersonRecord } from '#lib/protocol/workspace.ts';
import { isLead } from '../auth/policy.ts';
import type { Principal } from '../auth/principal.ts';
import type { People } from '../access/people.ts';
import type { WorkspaceReader } from '../access/workspace-reader.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import { IdentityError } from './identity-errors.ts';

export const accessRequestCollection = 'access-requests';

/** One record per address, so signing in again while waiting does not queue twice. */
export function accessRequestId(email: string): string {
	return createHash('sha256').update(email).digest('base64url').slice(0, 20);
}

function requireLead(caller: Principal | undefined): asserts caller is Principal {
	if (!caller) throw new IdentityError('unauthenticated', 'sign in first');
	if (!isLead(caller)) throw new IdentityError('forbidden', 'only Missions Unit leads can decide who gets in');
}

export class AccessRequests {
	#store: RecordStore;
	#people: People;
	#workspace: WorkspaceReader;
	#log: Logger;

	constructor(parts: { store: RecordStore; people: People; workspace: WorkspaceReader; log: Logger }) {
		this.#store = parts.store;
		this.#people = parts.people;
		this.#workspace = parts.workspace;
		this.#log = parts.log;
	}

	/** Queues (or re-queues, when declined before) a request to join. */
	async ask(input: { email: string; name: string; provider: string; departmentId: string | undefined }): Promise<AccessRequest> {
		const id = accessRequestId(input.email);
		const existing = accessRequest.safeParse(await this.#store.getRecord(accessRequestCollection, id));
		if (existing.success && existing.data.status === 'pending') return existing.data;
		const request = accessRequest.parse({ id, ...input, status: 'pending', requestedAt: Date.now() });
		await this.#store.putRecord(accessRequestCollection, id, request);
		this.#log.info({ request: id, provider: input.provider, department: input.departmentId }, 'access request queued');
		return request;
	}

	async list(caller: Principal | undefined): Promise<AccessRequest[]> {
		requireLead(caller);
		return this.#pending();
	}

	/** Pending requests, oldest first (the queue leads see). */
	async #pending(): Promise<AccessRequest[]> {
		const out: AccessRequest[] = [];
		for (const { value } of await this.#store.listRecords(accessRequestCollection)) {
			const parsed = accessRequest.safeParse(value);
			if (parsed.success && parsed.data.status === 'pending') out.push(parsed.data);
		}
		return out.sort((a, b) => a.requestedAt - b.requestedAt);
	}

	async approve(caller: Principal | undefined, id: string, input: unknown): Promise<PersonRecord> {
		requireLead(caller);
		const parsed = approveAccessInput.safeParse(input);
		if (!parsed.success) throw new IdentityError('invalid_request', parsed.error.issues[0]?.message ?? 'choose a department and a role');
		const department = await this.#workspace.getDepartment(parsed.data.departmentId);
		if (!department || department.archived) throw new IdentityError('invalid_request', 'choose a department that exists');
		const request = await this.#decide(id, 'approved', caller.id);
		const person = (await this.#people.findByEmail(request.email)) ?? (await this.#people.create({ name: request.name, email: request.email, departmentId: department.id, role: parsed.data.role }, caller.id));
		this.#log.info({ request: id, person: person.id, by: caller.id }, 'access request approved');
		return person;
	}

	async decline(caller: Principal | undefined, id: string): Promise<void> {
		requireLead(caller);
		await this.#decide(id, 'declined', caller.id);
		this.#log.info({ request: id, by: caller.id }, 'access request declined');
	}

	async #decide(id: string, status: 'approved' | 'declined', by: string): Promise<AccessRequest> {
		const raw = await this.#store.getRecord(accessRequestCollection, id);
		const parsed = accessRequest.safeParse(raw);
		if (!parsed.success || parsed.data.status !== 'pending') throw new IdentityError('not_found', 'no such request waiting');
		const decided = { ...parsed.data, status, decidedAt: Date.now(), decidedBy: by };
		if (!(await this.#store.compareAndSetRecord(accessRequestCollection, id, raw, decided))) throw new IdentityError('conflict', 'another lead decided this request just now');
		return decided;
	}
}
