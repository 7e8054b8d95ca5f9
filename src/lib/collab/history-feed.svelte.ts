/**
 * Pages of the change ledger from the history API (a board's or one record's), newest first: the
 * first page, "show older", and a debounced refresh that puts newly recorded changes on top without
 * losing the older pages already shown. Shared by a record's History section and the activity feed.
 */
import { z } from 'zod';
import { historyItem, type HistoryItem } from '../protocol/ledger.ts';
import { ApiReadError, getJson } from './api-read.ts';

export const historyFeedDefaults = {
	pageSize: 25,
	/** Changes often come in bursts (someone typing): one refetch after the burst. */
	refreshDebounceMs: 400
} as const;

const historyPage = z.object({ entries: z.array(historyItem), nextCursor: z.number().int().positive().nullable() });

/** The filters the API takes, as the query string's values (empty ones are left out). */
export type HistoryFilters = Partial<Record<'since' | 'until' | 'record' | 'person' | 'department' | 'register' | 'field', string>>;

const sameItem = (a: HistoryItem, b: HistoryItem) => a.at === b.at && a.by.id === b.by.id && a.recordId === b.recordId && a.field === b.field;

export class HistoryFeed {
	#endpoint: string;
	#filters: HistoryFilters;
	#items = $state.raw<HistoryItem[]>([]);
	#nextCursor = $state<number | null>(null);
	#loading = $state(false);
	#loaded = $state(false);
	#error = $state<string | undefined>(undefined);
	/** Answers to an older request (filters changed since) are dropped. */
	#request = 0;
	#abort: AbortController | undefined;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;

	/** `endpoint`: `/api/boards/:id/history` or `/api/boards/:id/:register/:ref/history`. */
	constructor(endpoint: string, filters: HistoryFilters = {}) {
		this.#endpoint = endpoint;
		this.#filters = filters;
		void this.#load('first');
	}

	get items(): HistoryItem[] {
		return this.#items;
	}

	get loading(): boolean {
		return this.#loading;
	}

	/** The first page has arrived (so an empty list means there is nothing). */
	get loaded(): boolean {
		return this.#loaded;
	}

	get error(): string | undefined {
		return this.#error;
	}

	get hasMore(): boolean {
		return this.#nextCursor !== null;
	}

	get filters(): HistoryFilters {
		return this.#filters;
	}

	/** New filters: start again from the newest page. */
	setFilters(filters: HistoryFilters): void {
		this.#filters = filters;
		this.#items = [];
		this.#nextCursor = null;
		this.#loaded = false;
		void this.#load('first');
	}

	/** The next (older) page. */
	more(): void {
		if (this.#nextCursor === null || this.#loading) return;
		void this.#load('older');
	}

	/** Something was recorded: fetch the newest page soon and put what is new on top. */
	refreshSoon(): void {
		if (this.#destroyed) return;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.#load(this.#loaded ? 'newer' : 'first'), historyFeedDefaults.refreshDebounceMs);
	}

	#url(cursor: number | null): string {
		const search = new URLSearchParams();
		for (const [key, value] of Object.entries(this.#filters)) if (value) search.set(key, value);
		search.set('limit', String(historyFeedDefaults.pageSize));
		if (cursor !== null) search.set('cursor', String(cursor));
		return `${this.#endpoint}?${search}`;
	}

	async #load(kind: 'first' | 'older' | 'newer'): Promise<void> {
		if (this.#destroyed) return;
		const request = ++this.#request;
		this.#abort?.abort();
		const abort = (this.#abort = new AbortController());
		this.#loading = true;
		try {
			const page = await getJson(this.#url(kind === 'older' ? this.#nextCursor : null), historyPage, abort.signal);
			if (request !== this.#request || this.#destroyed) return;
			this.#error = undefined;
			if (kind === 'older') {
				this.#items = [...this.#items, ...page.entries];
				this.#nextCursor = page.nextCursor;
			} else if (kind === 'newer') {
				const top = this.#items[0];
				const seen = top ? page.entries.findIndex((item) => sameItem(item, top)) : -1;
				if (seen >= 0) this.#items = [...page.entries.slice(0, seen), ...this.#items];
				else {
					// More changed than a page holds: start again from the newest.
					this.#items = page.entries;
					this.#nextCursor = page.nextCursor;
				}
			} else {
				this.#items = page.entries;
				this.#nextCursor = page.nextCursor;
			}
			this.#loaded = true;
		} catch (error) {
			if (abort.signal.aborted || request !== this.#request) return;
			if (!(error instanceof ApiReadError)) throw error;
			this.#error = error.message;
		} finally {
			if (request === this.#request) this.#loading = false;
		}
	}

	/** Stops refreshing and drops any request in flight. Idempotent. */
	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#timer);
		this.#abort?.abort();
	}
}
