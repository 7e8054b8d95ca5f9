/**
 * Typed access to one record-store collection: every value read is validated with zod (a
 * malformed record is logged and skipped, never thrown at a caller), and every change is a
 * compare-and-set, so two leads editing the same mission at once never lose each other's write.
 */
import type { z } from 'zod';
import type { Logger } from '../log.ts';
import type { RecordStore } from '../store/store.ts';
import { ConflictError } from './errors.ts';

export const collectionDefaults = { maxCasAttempts: 20 } as const;

export class RecordCollection<S extends z.ZodType> {
	readonly name: string;
	#store: RecordStore;
	#schema: S;
	#log: Logger;

	constructor(store: RecordStore, name: string, schema: S, log: Logger) {
		this.#store = store;
		this.name = name;
		this.#schema = schema;
		this.#log = log;
	}

	async get(id: string): Promise<z.output<S> | undefined> {
		const raw = await this.#store.getRecord(this.name, id);
		return raw === undefined ? undefined : this.#parse(id, raw);
	}

	async list(): Promise<z.output<S>[]> {
		const values: z.output<S>[] = [];
		for (const { id, value } of await this.#store.listRecords(this.name)) {
			const parsed = this.#parse(id, value);
			if (parsed !== undefined) values.push(parsed);
		}
		return values;
	}

	/** Stores a new record; false when the id is already taken. */
	async create(id: string, value: z.output<S>): Promise<boolean> {
		return this.#store.compareAndSetRecord(this.name, id, undefined, value);
	}

	/**
	 * Reads, changes and writes back atomically (retried when someone else wrote in between).
	 * `change` returns the next value, or undefined to leave the record as it is.
	 * Resolves to the stored value (changed or not), or undefined when there is no such record.
	 */
	async update(id: string, change: (current: z.output<S>) => z.output<S> | undefined): Promise<{ value: z.output<S>; changed: boolean } | undefined> {
		for (let attempt = 0; attempt < collectionDefaults.maxCasAttempts; attempt++) {
			const raw = await this.#store.getRecord(this.name, id);
			if (raw === undefined) return undefined;
			const current = this.#parse(id, raw);
			if (current === undefined) return undefined;
			const next = change(current);
			if (next === undefined) return { value: current, changed: false };
			if (await this.#store.compareAndSetRecord(this.name, id, raw, next)) return { value: next, changed: true };
		}
		throw new ConflictError(`${this.name}/${id} is being changed by others; try again`);
	}

	async delete(id: string): Promise<boolean> {
		return this.#store.deleteRecord(this.name, id);
	}

	#parse(id: string, raw: unknown): z.output<S> | undefined {
		const parsed = this.#schema.safeParse(raw);
		if (parsed.success) return parsed.data;
		this.#log.warn({ collection: this.name, id, issues: parsed.error.issues.slice(0, 5) }, 'skipping a malformed record');
		return undefined;
	}
}
