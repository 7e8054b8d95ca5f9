/**
 * People named on a board, for owner pickers: a typed name that matches someone already on the
 * board keeps their id, so "Priya Shah" stays one person across records.
 */
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
