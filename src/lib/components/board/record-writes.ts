/**
 * The detail panel's writes: each goes through the board model with this tab's origin
 * (so it can be undone) and reports whether it was accepted.
 */
import { updateRecord } from '../../board/board-doc.ts';
import { titleFromText } from '../../board/write.ts';
import type { BoardLive } from '../../collab/board-live.svelte.ts';
import type { PatchInput, RegisterName } from '../../protocol/records.ts';

export function patchRecord<R extends RegisterName>(live: Pick<BoardLive, 'write'>, register: R, id: string, patch: PatchInput<R>): boolean {
	return live.write((doc, actor, options) => updateRecord(doc, register, id, patch, actor, options)) !== undefined;
}

/** A text field written as the person types: the model splices only what changed. */
export function textWriter<R extends RegisterName>(live: Pick<BoardLive, 'write'>, register: R, id: string, field: string): (value: string) => boolean {
	return (value) => patchRecord(live, register, id, { [field]: value } as PatchInput<R>);
}

/**
 * Writes a text whose first line is also the record's title (actions, assumptions: one field per
 * idea, src/lib/board/field-merge.ts). An empty text leaves the title as it was.
 */
export function textWithTitleWriter<R extends 'actions' | 'assumptions'>(live: Pick<BoardLive, 'write'>, register: R, id: string, field: 'text' | 'statement'): (value: string) => boolean {
	return (value) => {
		const title = titleFromText(value);
		return patchRecord(live, register, id, (title ? { [field]: value, title } : { [field]: value }) as PatchInput<R>);
	};
}
