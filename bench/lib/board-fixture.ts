/**
 * A realistic board for the cold-open scenario: records in a `records` map, each a shared map of
 * ten fields like a dependency, blocker, action or decision (reference, title, owner, department,
 * status, rating, dates). About 320 bytes of Yjs state per record.
 */

const kinds = ['dependency', 'blocker', 'action', 'decision'] as const;
const statuses = ['proposed', 'agreed', 'at-risk', 'open', 'in-progress', 'escalated', 'done'] as const;
const ratings = ['green', 'amber', 'red'] as const;

export const boardRecordsKey = 'records';

export function recordId(index: number): string {
	return `rec-${index.toString(36).padStart(4, '0')}`;
}

export function recordFields(index: number): Array<[string, unknown]> {
	const kind = kinds[index % kinds.length] ?? 'action';
	return [
		['id', recordId(index)],
		['kind', kind],
		['ref', `${kind.slice(0, 3).toUpperCase()}-${index + 1}`],
		['title', `Agree the data-sharing schedule for workstream ${index % 40} with the receiving department (${index})`],
		['owner', `Person ${index % 97}`],
		['department', `dept-${index % 23}`],
		['status', statuses[index % statuses.length] ?? 'open'],
		['rating', ratings[index % ratings.length] ?? 'amber'],
		['due', `2026-${String((index % 12) + 1).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')}`],
		['updatedAt', 1_760_000_000_000 + index * 60_000]
	];
}
