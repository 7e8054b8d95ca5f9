/**
 * One field per idea: the migration that retires duplicate fields in existing board documents.
 * A dependency's `owner` is its provider's owner (the detail panel shows "Provider owner" and
 * "Receiver owner", no third "Owner"); an action's, a decision's and an assumption's `title` is the
 * first line of its text (as when it was created), so the panel shows one text ("Action", "What was
 * decided", "Assumption") and the tables show its first line.
 * It only writes values that differ, so running it again changes nothing; the audit fields
 * (`updatedBy`/`updatedAt`) are left alone: nobody edited the record.
 */
import * as Y from 'yjs';
import { registerMap } from './layout.ts';
import { titleFromText } from './write.ts';

/** The register whose title follows which text field. */
export const titleFromField = { actions: 'text', decisions: 'text', assumptions: 'statement' } as const;

const textOf = (value: unknown) => (value instanceof Y.Text ? value.toString() : typeof value === 'string' ? value : undefined);
const samePerson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

type Change = { map: Y.Map<unknown>; field: string; value: unknown };

function pendingChanges(doc: Y.Doc): Change[] {
	const changes: Change[] = [];
	for (const record of registerMap(doc, 'dependencies').values()) {
		if (!(record instanceof Y.Map)) continue;
		const provider = record.get('providerOwner');
		if (provider !== undefined && !samePerson(record.get('owner'), provider)) changes.push({ map: record, field: 'owner', value: provider });
	}
	for (const [register, field] of Object.entries(titleFromField) as [keyof typeof titleFromField, string][]) {
		for (const record of registerMap(doc, register).values()) {
			if (!(record instanceof Y.Map)) continue;
			const title = titleFromText(textOf(record.get(field)) ?? '');
			if (title !== '' && record.get('title') !== title) changes.push({ map: record, field: 'title', value: title });
		}
	}
	return changes;
}

/** Makes the duplicate fields agree; returns how many values it wrote. */
export function mergeDuplicateFields(doc: Y.Doc, origin?: unknown): number {
	const changes = pendingChanges(doc);
	if (changes.length === 0) return 0;
	doc.transact(() => {
		for (const change of changes) change.map.set(change.field, change.value);
	}, origin);
	return changes.length;
}
