/**
 * People named on a board, for owner pickers: a typed name that matches someone already on the
 * board keeps their id, so "Priya Shah" stays one person across records.
 */
import type { DirectoryEntry } from '../../protocol/identity.ts';
import type { Person } from '../../protocol/record-fields.ts';
import type { BoardRecord } from '../../protocol/records.ts';

export function peopleOf(record: BoardRecord): Person[] {
	const people: Person[] = [record.owner, record.createdBy];
	switch (record.register) {
		case 'dependencies':
			people.push(record.providerOwner, record.receiverOwner);
			break;
		case 'decisions':
			people.push(...record.decisionMakers);
			break;
	}
	return people;
}

export class PeopleIndex {
	#byName = new Map<string, Person>();
	/** Principal ids of the workspace's people (the directory), and their department codes. */
	#members = new Map<string, string | undefined>();

	/** The workspace's people: their names resolve to them first. */
	addDirectory(entries: readonly DirectoryEntry[]): void {
		for (const entry of entries) {
			this.#members.set(entry.id, entry.department);
			const key = entry.name.trim().toLowerCase();
			const known = this.#byName.get(key);
			if (!known?.id || !this.#members.has(known.id)) this.#byName.set(key, { name: entry.name, id: entry.id });
		}
	}

	/** Whether a person field names a person of the workspace (rather than free text). */
	isMember(person: Person): boolean {
		return person.id !== undefined && this.#members.has(person.id);
	}

	/** How a picker describes a person: their department's code, or that they are outside the workspace. */
	describe(person: Person): string {
		return this.isMember(person) ? (this.#members.get(person.id ?? '') ?? 'workspace') : 'outside the workspace';
	}

	/** Names for the picker's list, each with the department of the workspace person it stands for. */
	get options(): Array<{ name: string; label: string | undefined }> {
		return [...this.#byName.values()]
			.map((person) => ({ name: person.name, label: person.id && this.#members.has(person.id) ? (this.#members.get(person.id) ?? 'workspace') : 'outside the workspace' }))
			.sort((a, b) => a.name.localeCompare(b.name));
	}

	add(person: Person): void {
		const key = person.name.trim().toLowerCase();
		const known = this.#byName.get(key);
		if (!known || (!known.id && person.id)) this.#byName.set(key, person);
	}

	addAll(people: Iterable<Person>): void {
		for (const person of people) this.add(person);
	}

	/** The person with this name if known (with their id), else a new named person. */
	resolve(name: string): Person {
		const trimmed = name.trim().replace(/\s+/g, ' ');
		return this.#byName.get(trimmed.toLowerCase()) ?? { name: trimmed };
	}

	get names(): string[] {
		return [...this.#byName.values()].map((person) => person.name).sort((a, b) => a.localeCompare(b));
	}
}
