/**
 * The first screen the server cut out of its document (`#lib/board/first-screen.ts`), read like a
 * live register so the page shows it with the same table, rows and cells. It lives only until the
 * live board has synced; nothing syncs it and the page renders it inert.
 */
import type * as Y from 'yjs';
import { openFirstScreen, type FirstScreen } from '../board/first-screen.ts';
import type { RegisterName } from '../protocol/registers.ts';
import { RegisterView, type RecordEntry } from './register-view.svelte.ts';

export class FirstScreenView {
	readonly register: RegisterName;
	/** The records in the server's order (the table's default order). */
	readonly entries: RecordEntry[];
	readonly shown: number;
	readonly total: number;
	/** Every register's count, as the live tabs show it. */
	readonly counts: Record<RegisterName, number>;
	#doc: Y.Doc;
	#view: RegisterView;

	constructor(screen: FirstScreen) {
		this.register = screen.register;
		this.shown = screen.shown;
		this.total = screen.total;
		this.counts = screen.counts;
		this.#doc = openFirstScreen(screen);
		this.#view = new RegisterView(this.#doc, screen.register);
		this.entries = screen.ids.filter((id) => this.#view.map.has(id)).map((id) => this.#view.entry(id));
	}

	/** Idempotent. */
	destroy(): void {
		this.#view.destroy();
		this.#doc.destroy();
	}
}
