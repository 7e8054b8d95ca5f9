/**
 * Live, fine-grained reads of one register. Each record has its own `RecordEntry` whose
 * `result` getter subscribes to that record alone; the register's member list has its own
 * subscriber. One deep observer per register routes every change to the entries it touched,
 * so a remote edit re-renders only the rows of the records it changed.
 */
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import { registerMap } from '../board/layout.ts';
import { readRecordMap } from '../board/read.ts';
import { buildRefIndex, type RefIndex } from '../board/refs.ts';
import { searchableText } from '../board/search-text.ts';
import type { ReadResult, RecordOf, RegisterName } from '../protocol/records.ts';

/** Keys whose change can renumber other records' refs. */
const refKeys = new Set(['seq', 'refAliases', 'createdAt']);

/** What one transaction did to a register: records touched, and records that appeared. */
export type RegisterChange = { touched: ReadonlySet<string>; added: ReadonlySet<string> };
export type ChangeListener = (register: RegisterName, change: RegisterChange, transaction: Y.Transaction) => void;

export class RecordEntry<R extends RegisterName = RegisterName> {
	readonly id: string;
	readonly register: R;
	#view: RegisterView<R>;
	#result: ReadResult<R> | undefined;
	#search: string | undefined;
	#notify: (() => void) | undefined;
	#subscribe = createSubscriber((update) => {
		this.#notify = update;
		return () => {
			this.#notify = undefined;
		};
	});

	constructor(view: RegisterView<R>, id: string) {
		this.#view = view;
		this.id = id;
		this.register = view.register;
	}

	/** The validated record (or its issues); re-read only after the record changes. Subscribes to this record. */
	get result(): ReadResult<R> {
		this.#subscribe();
		return this.peek();
	}

	/** The same without subscribing: for list-level derivations that subscribe to the register once. */
	peek(): ReadResult<R> {
		return (this.#result ??= this.#view.read(this.id));
	}

	/** The record when it is valid. */
	get record(): RecordOf<R> | undefined {
		const result = this.result;
		return result.ok ? result.record : undefined;
	}

	/** Lower-case text searched by the filter box: ref, title, people and the long texts. */
	get searchText(): string {
		const result = this.peek();
		return (this.#search ??= result.ok ? searchableText(result.record) : result.id.toLowerCase());
	}

	/** The number behind the record's ref, from the register's ref index (no validation needed). */
	get refNumber(): number {
		return this.#view.refs.byId.get(this.id)?.n ?? Number.MAX_SAFE_INTEGER;
	}

	/** Whether the stored record says it is archived, read without validating the record. */
	get archivedFlag(): boolean {
		return this.map?.get('archived') === true;
	}

	/** The record's Y.Map, for binding text fields. */
	get map(): Y.Map<unknown> | undefined {
		const value = this.#view.map.get(this.id);
		return value instanceof Y.Map ? value : undefined;
	}

	invalidate(): void {
		this.#result = undefined;
		this.#search = undefined;
		this.#notify?.();
	}
}

export class RegisterView<R extends RegisterName = RegisterName> {
	readonly register: R;
	readonly map: Y.Map<unknown>;
	#entries = new Map<string, RecordEntry<R>>();
	#list: RecordEntry<R>[] | undefined;
	#refs: RefIndex | undefined;
	#onChange: ChangeListener | undefined;
	#notifyMembers: (() => void) | undefined;
	#notifyAny: (() => void) | undefined;
	#subscribeAny = createSubscriber((update) => {
		this.#notifyAny = update;
		return () => {
			this.#notifyAny = undefined;
		};
	});
	#subscribeMembers = createSubscriber((update) => {
		this.#notifyMembers = update;
		return () => {
			this.#notifyMembers = undefined;
		};
	});

	constructor(doc: Y.Doc, register: R, onChange?: ChangeListener) {
		this.register = register;
		this.map = registerMap(doc, register);
		this.#onChange = onChange;
		this.map.observeDeep(this.#observe);
	}

	/** Every record of the register (archived and invalid ones included), in no set order. */
	get entries(): RecordEntry<R>[] {
		this.#subscribeMembers();
		if (!this.#list) {
			const list: RecordEntry<R>[] = [];
			for (const id of this.map.keys()) list.push(this.entry(id));
			this.#list = list;
		}
		return this.#list;
	}

	/**
	 * Every record, subscribing to any change in the register (one subscription, whatever its
	 * size): for filtering and sorting, which read records with `peek()`.
	 */
	get all(): RecordEntry<R>[] {
		this.#subscribeAny();
		return this.entries;
	}

	get size(): number {
		this.#subscribeMembers();
		return this.map.size;
	}

	/** The entry of one record (created on first use; it reads nothing until asked). */
	entry(id: string): RecordEntry<R> {
		let entry = this.#entries.get(id);
		if (!entry) {
			entry = new RecordEntry(this, id);
			this.#entries.set(id, entry);
		}
		return entry;
	}

	has(id: string): boolean {
		this.#subscribeMembers();
		return this.map.has(id);
	}

	/** The register's refs, resolved once per change that can move them. */
	get refs(): RefIndex {
		return (this.#refs ??= buildRefIndex(this.map.doc!, this.register));
	}

	read(id: string): ReadResult<R> {
		return readRecordMap(this.register, id, this.map.get(id), this.refs);
	}

	#observe = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction): void => {
		const touched = new Set<string>();
		const added = new Set<string>();
		let membersChanged = false;
		let refsMayMove = false;
		for (const event of events) {
			if (event.target === this.map) {
				for (const [id, change] of event.changes.keys) {
					touched.add(id);
					if (change.action !== 'update') membersChanged = true;
					if (change.action === 'add') added.add(id);
					refsMayMove = true;
				}
				continue;
			}
			const id = event.path[0];
			if (typeof id !== 'string') continue;
			touched.add(id);
			if (event.path.length === 1) {
				for (const key of event.changes.keys.keys()) if (refKeys.has(key)) refsMayMove = true;
			} else if (event.path[1] === 'refAliases') {
				refsMayMove = true;
			}
		}
		if (refsMayMove) this.#refreshRefs(touched);
		for (const id of touched) this.#entries.get(id)?.invalidate();
		if (membersChanged) {
			this.#list = undefined;
			for (const id of this.#entries.keys()) if (!this.map.has(id)) this.#entries.delete(id);
			this.#notifyMembers?.();
		}
		if (touched.size > 0) {
			this.#notifyAny?.();
			this.#onChange?.(this.register, { touched, added }, transaction);
		}
	};

	/** Rebuilds the ref index; records whose ref moved are re-read too. */
	#refreshRefs(touched: Set<string>): void {
		const before = this.#refs;
		this.#refs = undefined;
		if (!before) return;
		const after = this.refs;
		for (const [id, info] of after.byId) {
			const old = before.byId.get(id);
			if (!old || old.ref !== info.ref || old.aliases.length !== info.aliases.length) touched.add(id);
		}
	}

	destroy(): void {
		this.map.unobserveDeep(this.#observe);
		this.#entries.clear();
	}
}
