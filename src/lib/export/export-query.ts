/**
 * The board's filters ↔ the export query string: the toolbar's export links carry what the
 * person is looking at, and the server applies the same predicate as the live table.
 */
import type { ExportQuery } from '../protocol/exports.ts';
import type { RegisterName } from '../protocol/registers.ts';
import { emptyFilters, type Filters } from '../components/board/table-model.ts';

export function filtersOf(query: ExportQuery): Filters {
	return {
		...emptyFilters,
		search: query.search,
		department: query.department,
		owner: query.owner,
		status: query.status,
		rating: query.rating,
		overdueOnly: query.overdue === 'true',
		showArchived: query.archived === 'true'
	};
}

/** The query string for an export of `register` (or every register) with these filters. */
export function exportSearch(filters: Filters, register?: RegisterName): string {
	const params = new URLSearchParams();
	if (register) params.set('register', register);
	if (filters.search.trim()) params.set('search', filters.search.trim());
	if (filters.department) params.set('department', filters.department);
	if (filters.owner) params.set('owner', filters.owner);
	if (filters.status) params.set('status', filters.status);
	if (filters.rating) params.set('rating', filters.rating);
	if (filters.overdueOnly) params.set('overdue', 'true');
	if (filters.showArchived) params.set('archived', 'true');
	const text = params.toString();
	return text ? `?${text}` : '';
}
