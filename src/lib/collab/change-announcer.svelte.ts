/**
 * Turns other people's changes into short polite announcements ("Priya Shah updated DEP-12"),
 * gathered over a window and throttled so a screen reader is never flooded.
 */
import type { RegisterName } from '../protocol/registers.ts';
import type { RegisterView } from './register-view.svelte.ts';

export const announcerDefaults = {
	/** Changes arriving within this window are announced together. */
	gatherMs: 1_500,
	/** Records named individually before the message summarises. */
	maxNamed: 3
} as const;

type Noted = { register: RegisterName; id: string; added: boolean };

export class ChangeAnnouncer {
	#message = $state('');
	#noted = new Map<string, Noted>();
	#timer: ReturnType<typeof setTimeout> | undefined;
	#views: { [R in RegisterName]: RegisterView<R> };

	constructor(views: { [R in RegisterName]: RegisterView<R> }) {
		this.#views = views;
	}

	/** The latest announcement, for an aria-live="polite" region. */
	get message(): string {
		return this.#message;
	}

	note(register: RegisterName, ids: Iterable<string>, added: ReadonlySet<string>): void {
		for (const id of ids) {
			const previous = this.#noted.get(id);
			this.#noted.set(id, { register, id, added: (previous?.added ?? false) || added.has(id) });
		}
		this.#timer ??= setTimeout(this.#flush, announcerDefaults.gatherMs);
	}

	#flush = (): void => {
		this.#timer = undefined;
		const noted = [...this.#noted.values()];
		this.#noted.clear();
		const lines: { who: string; what: string }[] = [];
		for (const { register, id, added } of noted) {
			const view = this.#views[register];
			if (!view.map.has(id)) continue;
			const result = view.entry(id).result;
			if (!result.ok) continue;
			lines.push({ who: result.record.updatedBy.name, what: `${added ? 'added' : 'updated'} ${result.record.ref}` });
		}
		if (lines.length === 0) return;
		if (lines.length <= announcerDefaults.maxNamed) {
			this.#message = lines.map((line) => `${line.who} ${line.what}`).join('. ');
			return;
		}
		const people = [...new Set(lines.map((line) => line.who))];
		const names = people.length <= 2 ? people.join(' and ') : `${people.slice(0, 2).join(', ')} and others`;
		this.#message = `${names} updated ${lines.length} records`;
	};

	/** Announces something this page did itself (an undo, a failed save). */
	say(message: string): void {
		this.#message = message;
	}

	destroy(): void {
		clearTimeout(this.#timer);
	}
}
