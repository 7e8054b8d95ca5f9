/**
 * The board page's own state: the selected tab and open record (mirrored in `?tab=` and
 * `?ref=`), filters and sort per register, and focus requests after creating a record.
 * The tabs are the four registers, the dependency map (a picture of the dependencies) and the
 * board's activity (its change ledger).
 */
import { getContext, setContext } from 'svelte';
import { z } from 'zod';
import { parseRef, registerNames, type RegisterName } from '../../protocol/registers.ts';
import { defaultSort, emptyFilters, firstSortDirection, type Filters, type SortState } from './table-model.ts';

export const boardTabs = [...registerNames, 'map', 'activity'] as const;
export const boardTab = z.enum(boardTabs);
export type BoardTab = z.infer<typeof boardTab>;

export type OpenRecord = { register: RegisterName; id: string };

export class BoardUi {
	#tab = $state<BoardTab>('dependencies');
	#filters = $state<Record<RegisterName, Filters>>({
		dependencies: { ...emptyFilters },
		blockers: { ...emptyFilters },
		actions: { ...emptyFilters },
		decisions: { ...emptyFilters },
		risks: { ...emptyFilters },
		assumptions: { ...emptyFilters }
	});
	#sort = $state<Record<RegisterName, SortState>>({
		dependencies: { ...defaultSort },
		blockers: { ...defaultSort },
		actions: { ...defaultSort },
		decisions: { ...defaultSort },
		risks: { ...defaultSort },
		assumptions: { ...defaultSort }
	});
	#open = $state<OpenRecord | null>(null);
	/** A ref from the address bar, waiting for the document to know it. */
	#wantedRef = $state<string | null>(null);
	/** Not reactive: read once by the field that takes focus. */
	#focusField: { id: string; field: string } | null = null;
	/** The register of the new record being drafted (a decision's form, or a draft from `n`), or null. */
	#draft = $state<RegisterName | null>(null);
	#onUrl: (search: URLSearchParams) => void;

	constructor(initial: URLSearchParams, onUrl: (search: URLSearchParams) => void) {
		this.#onUrl = onUrl;
		const tab = boardTab.safeParse(initial.get('tab'));
		if (tab.success) this.#tab = tab.data;
		const ref = initial.get('ref');
		const parsed = ref ? parseRef(ref) : undefined;
		if (ref && parsed) {
			this.#wantedRef = ref;
			this.#tab = this.#tabShowing(parsed.register);
		}
	}

	get tab(): BoardTab {
		return this.#tab;
	}

	set tab(tab: BoardTab) {
		if (this.#tab === tab) return;
		this.#tab = tab;
		this.#updateUrl();
	}

	get tabs(): readonly BoardTab[] {
		return boardTabs;
	}

	/** The register the current tab shows (the map shows the dependencies; so does the activity tab, for `N`). */
	get register(): RegisterName {
		return this.#tab === 'map' || this.#tab === 'activity' ? 'dependencies' : this.#tab;
	}

	/** Whether the current tab is a register's table (so it has filters, a sort and new records). */
	get isTable(): boolean {
		return this.#tab !== 'map' && this.#tab !== 'activity';
	}

	filtersOf(register: RegisterName): Filters {
		return this.#filters[register];
	}

	get filters(): Filters {
		return this.#filters[this.register];
	}

	setFilter<K extends keyof Filters>(key: K, value: Filters[K]): void {
		this.#filters[this.register][key] = value;
	}

	clearFilters(): void {
		this.#filters[this.register] = { ...emptyFilters };
	}

	get filtered(): boolean {
		const f = this.filters;
		return Boolean(f.search || f.department || f.owner || f.status || f.rating || f.overdueOnly || f.showArchived);
	}

	get sort(): SortState {
		return this.#sort[this.register];
	}

	/** Sorts by a column (worst first for columns where more is worse); a second click reverses it. */
	sortBy(key: SortState['key']): void {
		const current = this.#sort[this.register];
		this.#sort[this.register] =
			current.key === key
				? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
				: { key, direction: firstSortDirection(key) };
	}

	get open(): OpenRecord | null {
		return this.#open;
	}

	get wantedRef(): string | null {
		return this.#wantedRef;
	}

	/**
	 * Opens a record's details; `ref` goes in the address bar so the view can be shared.
	 * `toHistory`: focus its History section rather than its heading.
	 */
	openRecord(record: OpenRecord, ref: string | undefined, toHistory = false): void {
		if (toHistory) this.#focusField = { id: record.id, field: `${record.id}-history-heading` };
		else if (this.#focusField?.id !== record.id) this.#focusField = { id: record.id, field: 'heading' };
		this.#open = record;
		this.#wantedRef = null;
		this.#draft = null;
		this.#tab = this.#tabShowing(record.register);
		this.#updateUrl(ref);
	}

	close(): void {
		this.#open = null;
		this.#wantedRef = null;
		this.#draft = null;
		this.#updateUrl();
	}

	/**
	 * The register whose new-record form is open: `n` opens a draft that stays in this page until it
	 * is saved (a decision's form, for a decision, whose text is final).
	 */
	get draft(): RegisterName | null {
		return this.#draft;
	}

	startDraft(register: RegisterName): void {
		this.#open = null;
		this.#wantedRef = null;
		this.#draft = register;
	}

	/** Asks the detail panel to focus a field of a record once it is shown (else its heading). */
	requestFocus(id: string, field: string): void {
		this.#focusField = { id, field };
	}

	takeFocusRequest(id: string): string | undefined {
		const request = this.#focusField;
		if (!request || request.id !== id) return undefined;
		this.#focusField = null;
		return request.field;
	}

	/** The tab to show a record of a register on: the map keeps a dependency open beside it, the activity any record. */
	#tabShowing(register: RegisterName): BoardTab {
		if (this.#tab === 'activity') return 'activity';
		return this.#tab === 'map' && register === 'dependencies' ? 'map' : register;
	}

	#updateUrl(ref?: string): void {
		const search = new URLSearchParams();
		search.set('tab', this.#tab);
		if (ref) search.set('ref', ref);
		this.#onUrl(search);
	}
}

const key = Symbol('board-ui');

export function setBoardUi(ui: BoardUi): BoardUi {
	return setContext(key, ui);
}

export function getBoardUi(): BoardUi {
	const ui = getContext<BoardUi | undefined>(key);
	if (!ui) throw new Error('getBoardUi() needs setBoardUi() in the board page');
	return ui;
}
