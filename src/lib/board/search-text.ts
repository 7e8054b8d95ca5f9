/**
 * The text a board search looks in: ref (and former refs), title, people and the long texts,
 * lower-cased. Shared by the live table's filter box and the exports' `search` filter.
 */
import type { RecordOf, RegisterName } from '../protocol/records.ts';

export function searchableText(record: RecordOf<RegisterName>): string {
	const parts: string[] = [record.ref, ...record.aliases, record.title, record.owner.name, record.description];
	switch (record.register) {
		case 'dependencies':
			parts.push(record.deliverable, record.providerOwner.name, record.receiverOwner.name, record.impact);
			break;
		case 'blockers':
			parts.push(record.unblocker, record.ask);
			break;
		case 'actions':
			parts.push(record.text, record.meeting?.title ?? '');
			break;
		case 'decisions':
			parts.push(record.text, record.forum, record.rationale, ...record.decisionMakers.map((p) => p.name));
			break;
		case 'risks':
			parts.push(record.cause, record.event, record.effect, record.mitigations);
			break;
		case 'assumptions':
			parts.push(record.statement);
			break;
	}
	return parts.join('\n').toLowerCase();
}
