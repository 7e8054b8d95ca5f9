/**
 * Everything live about one open board, built once per page and shared through context:
 * the document session, presence, this tab's undo scope, a fine-grained view per register,
 * the polite change announcer and a clock for derived dates.
 */
import { getContext, setContext } from 'svelte';
import type * as Y from 'yjs';
import { BoardError } from '../board/errors.ts';
import { isoDateAt } from '../board/dates.ts';
import { reconcileRefs } from '../board/refs.ts';
import type { WriteOptions } from '../board/write.ts';
import type { Person } from '../protocol/record-fields.ts';
import { registerNames, type RegisterName } from '../protocol/registers.ts';
import { setBoardRows } from './board-rows.ts';
import { ChangeAnnouncer } from './change-announcer.svelte.ts';
import { DocSession, whenIdle, type DocSessionOptions } from './doc-session.svelte.ts';
import { OfflineShell } from './offline-shell.svelte.ts';
import { Presence } from './presence.svelte.ts';
import { RegisterView, type RegisterChange } from './register-view.svelte.ts';
import { UndoScope } from './undo-scope.svelte.ts';
import { sentence } from '../protocol/sentence.ts';

export const boardLiveDefaults = {
	/** How often "today" and "updated 3 days ago" are recomputed. */
	clockTickMs: 60_000,
	/**
	 * Settling refs reads every record of every register (tens of ms on 5,000 records): it waits
	 * until the browser is idle, so a first sync's rows are on screen first, but no longer than this.
	 */
	reconcileWithinMs: 1_000,
	/**
	 * Keeping the page for offline use (the service worker fetches every script and the page again)
	 * waits until the board is on screen and the browser is idle, but no longer than this.
	 */
	keepOfflineWithinMs: 2_000
} as const;

export type BoardViews = { [R in RegisterName]: RegisterView<R> };

export type BoardLiveOptions = Omit<DocSessionOptions, 'principalId'> & { actor: Person & { id: string } };

export class BoardLive {
	readonly session: DocSession;
	readonly presence: Presence;
	readonly undo: UndoScope;
	readonly views: BoardViews;
	readonly announcer: ChangeAnnouncer;
	/** Keeps the page for opening without the server (a service worker). */
	readonly offline = new OfflineShell();
	readonly actor: Person;
	readonly readOnly: boolean;
	#now = $state(Date.now());
	#today = $derived(isoDateAt(this.#now));
	#error = $state<string | undefined>(undefined);
	#clock: ReturnType<typeof setInterval>;
	#reconcileQueued = false;
	#destroyed = false;
	#recordedListeners = new Set<(recordIds: ReadonlySet<string>) => void>();
	/** Records this tab changed whose changes the server has not yet acknowledged. */
	#unsaved = new Set<string>();

	constructor(options: BoardLiveOptions) {
		this.actor = { name: options.actor.name, id: options.actor.id };
		this.readOnly = options.readOnly;
		this.session = new DocSession({ ...options, principalId: options.actor.id, onSaved: () => this.#onSaved() });
		this.presence = new Presence(this.session.provider.awareness, options.actor);
		this.undo = new UndoScope(this.session.doc, this.session.origin);
		const doc = this.session.doc;
		const onChange = this.#onChange;
		this.views = {
			dependencies: new RegisterView(doc, 'dependencies', onChange),
			blockers: new RegisterView(doc, 'blockers', onChange),
			actions: new RegisterView(doc, 'actions', onChange),
			decisions: new RegisterView(doc, 'decisions', onChange),
			risks: new RegisterView(doc, 'risks', onChange),
			assumptions: new RegisterView(doc, 'assumptions', onChange)
		};
		this.announcer = new ChangeAnnouncer(this.views);
		this.#clock = setInterval(() => (this.#now = Date.now()), boardLiveDefaults.clockTickMs);
		void this.session.whenReady.then(() =>
			whenIdle(() => {
				if (!this.#destroyed) this.offline.keep();
			}, boardLiveDefaults.keepOfflineWithinMs)
		);
	}

	get doc(): Y.Doc {
		return this.session.doc;
	}

	/** Epoch ms, refreshed every minute. */
	get now(): number {
		return this.#now;
	}

	/** Today's date on UK time (yyyy-mm-dd). */
	get today(): string {
		return this.#today;
	}

	/** The last write this page refused (invalid input), for an alert. */
	get error(): string | undefined {
		return this.#error;
	}

	clearError(): void {
		this.#error = undefined;
	}

	/**
	 * Runs one of the board model's mutating functions with this tab's origin (so undo sees it).
	 * A refused write (invalid input, a record someone else removed) is shown, never thrown.
	 */
	write<T>(change: (doc: Y.Doc, actor: Person, options: WriteOptions) => T): T | undefined {
		if (this.readOnly) {
			this.#error = 'You can view this board; editing needs an editor role.';
			return undefined;
		}
		try {
			const result = change(this.session.doc, this.actor, { origin: this.session.origin });
			this.#error = undefined;
			return result;
		} catch (error) {
			if (!(error instanceof BoardError)) throw error;
			this.#error = sentence(error.message);
			return undefined;
		}
	}

	/** Finds which register holds a record. */
	registerOf(id: string): RegisterName | undefined {
		return registerNames.find((register) => this.views[register].has(id));
	}

	/**
	 * Calls `listener` with the records whose changes the server has recorded in the ledger: another
	 * person's as they arrive (the server stores before it broadcasts), this tab's once the server
	 * acknowledged them. Returns the unsubscribe function.
	 */
	onRecorded(listener: (recordIds: ReadonlySet<string>) => void): () => void {
		this.#recordedListeners.add(listener);
		return () => this.#recordedListeners.delete(listener);
	}

	#recorded(recordIds: ReadonlySet<string>): void {
		for (const listener of this.#recordedListeners) listener(recordIds);
	}

	#onSaved(): void {
		if (this.#unsaved.size === 0) return;
		const saved = new Set(this.#unsaved);
		this.#unsaved.clear();
		this.#recorded(saved);
	}

	#onChange = (register: RegisterName, change: RegisterChange, transaction: Y.Transaction): void => {
		if (transaction.origin !== this.session.provider) {
			// Loading this device's copy changes nothing on the server; this tab's own edits are recorded once saved.
			if (transaction.origin !== this.session.local) for (const id of change.touched) this.#unsaved.add(id);
			return;
		}
		this.#recorded(change.touched);
		if (this.session.everSynced) this.announcer.note(register, change.touched, change.added);
		// Records created offline elsewhere may claim numbers we hold: settle refs (writers only).
		if (change.added.size > 0 && !this.readOnly) this.#queueReconcile();
	};

	#queueReconcile(): void {
		if (this.#reconcileQueued) return;
		this.#reconcileQueued = true;
		whenIdle(() => {
			this.#reconcileQueued = false;
			if (this.#destroyed) return;
			const started = performance.now();
			reconcileRefs(this.session.doc);
			performance.measure('mc:board-reconcile', { start: started, end: performance.now() });
		}, boardLiveDefaults.reconcileWithinMs);
	}

	destroy(): void {
		this.#destroyed = true;
		clearInterval(this.#clock);
		this.#recordedListeners.clear();
		this.offline.destroy();
		this.announcer.destroy();
		for (const register of registerNames) this.views[register].destroy();
		this.undo.destroy();
		this.presence.destroy();
		this.session.destroy();
	}
}

const contextKey = Symbol('board-live');

/** Sets the live board for the page, and as the board its table rows read (`getBoardRows`). */
export function setBoardLive(live: BoardLive): BoardLive {
	setBoardRows(live);
	return setContext(contextKey, live);
}

export function getBoardLive(): BoardLive {
	const live = getContext<BoardLive | undefined>(contextKey);
	if (!live) throw new Error('getBoardLive() needs a BoardLive in context: setBoardLive() in the board page');
	return live;
}
