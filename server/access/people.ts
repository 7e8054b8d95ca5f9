/**
 * People: a name, a department and a role, in the `people` collection. A person's principal id
 * is `person:<id>`: it is what sessions, API tokens, document history and presence refer to.
 */
import { missionCollections, missionProfile } from '#lib/protocol/missions.ts';
import { collections, personRecord, type PatchPersonInput, type PersonRecord, type PersonRole } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import { AccessError, notFoundMessages } from './errors.ts';
import { newRecordId } from './tokens.ts';

export const personPrincipalPrefix = 'person:';

export function personPrincipalId(personId: string): string {
	return `${personPrincipalPrefix}${personId}`;
}

/** The person id in a principal id, or undefined for the admin and wall displays. */
export function personIdOf(principalId: string): string | undefined {
	return principalId.startsWith(personPrincipalPrefix) ? principalId.slice(personPrincipalPrefix.length) : undefined;
}

/** `advises`: for an adviser, the missions whose advisory board names them (see `People.principal`). */
export function principalOfPerson(person: PersonRecord, advises?: readonly string[]): Principal {
	const principal: Principal = { id: personPrincipalId(person.id), kind: 'person', name: person.name, role: person.role, departmentId: person.departmentId };
	return person.role === 'adviser' ? { ...principal, advises: advises ?? [] } : principal;
}

/** What access needs of a mission profile: who sits on its advisory board. */
const advisoryBoard = missionProfile.pick({ missionId: true, advisers: true });

export interface NewPerson {
	name: string;
	departmentId: string;
	role: PersonRole;
	inviteId?: string;
	/** A verified email address (an invite sent to it, a sign-in by single sign-on). */
	email?: string;
}

const peopleDefaults = { maxCasAttempts: 20 } as const;

export class People {
	#store: RecordStore;
	#log: Logger;

	constructor(store: RecordStore, log: Logger) {
		this.#store = store;
		this.#log = log;
	}

	async get(id: string): Promise<PersonRecord | undefined> {
		const raw = await this.#store.getRecord(collections.people, id);
		if (raw === undefined) return undefined;
		const parsed = personRecord.safeParse(raw);
		if (!parsed.success) this.#log.warn({ collection: collections.people, id }, 'access: skipping a malformed person');
		return parsed.success ? parsed.data : undefined;
	}

	async list(): Promise<PersonRecord[]> {
		const people: PersonRecord[] = [];
		for (const { value } of await this.#store.listRecords(collections.people)) {
			const parsed = personRecord.safeParse(value);
			if (parsed.success) people.push(parsed.data);
		}
		return people.sort((a, b) => a.name.localeCompare(b.name));
	}

	/** The person with this (verified) address, compared without case. */
	async findByEmail(email: string): Promise<PersonRecord | undefined> {
		const wanted = email.trim().toLowerCase();
		return (await this.list()).find((person) => person.email === wanted);
	}

	/**
	 * The principal a session or API token of this person acts as now; undefined once removed. An
	 * adviser's principal carries the missions whose leadership lists them (`advises`), read here
	 * on every resolution, so adding or removing an adviser acts on their next request.
	 */
	async principal(principalId: string): Promise<Principal | undefined> {
		const id = personIdOf(principalId);
		if (!id) return undefined;
		const person = await this.get(id);
		if (!person) return undefined;
		return principalOfPerson(person, person.role === 'adviser' ? await this.advisedMissions(id) : undefined);
	}

	/** The missions whose leadership names this person among its `advisers`. */
	async advisedMissions(personId: string): Promise<string[]> {
		const missions: string[] = [];
		for (const { value } of await this.#store.listRecords(missionCollections.profiles)) {
			const parsed = advisoryBoard.safeParse(value);
			if (parsed.success && parsed.data.advisers.some((adviser) => adviser.personId === personId)) missions.push(parsed.data.missionId);
		}
		return missions.sort();
	}

	async create(input: NewPerson, by: string): Promise<PersonRecord> {
		const now = Date.now();
		const person = personRecord.parse({ ...input, id: newRecordId(), createdAt: now, createdBy: by, updatedAt: now, updatedBy: by });
		if (!(await this.#store.compareAndSetRecord(collections.people, person.id, undefined, person))) throw new AccessError('conflict', 'id collision; try again');
		return person;
	}

	/** Returns the person before and after (so callers can re-check what their connections may do). */
	async update(id: string, patch: PatchPersonInput, by: string): Promise<{ before: PersonRecord; after: PersonRecord }> {
		if (patch.email) {
			const holder = await this.findByEmail(patch.email);
			if (holder && holder.id !== id) throw new AccessError('conflict', 'another person already has this email address');
		}
		for (let attempt = 0; attempt < peopleDefaults.maxCasAttempts; attempt++) {
			const raw = await this.#store.getRecord(collections.people, id);
			const parsed = personRecord.safeParse(raw);
			if (raw === undefined || !parsed.success) throw new AccessError('not_found', notFoundMessages.person);
			const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
			const after = personRecord.parse({ ...parsed.data, ...defined, updatedAt: Date.now(), updatedBy: by });
			if (await this.#store.compareAndSetRecord(collections.people, id, raw, after)) return { before: parsed.data, after };
		}
		throw new AccessError('conflict', 'this person is being changed by someone else; try again');
	}

	async delete(id: string): Promise<PersonRecord | undefined> {
		const person = await this.get(id);
		if (!person) return undefined;
		return (await this.#store.deleteRecord(collections.people, id)) ? person : undefined;
	}
}
