/**
 * The detail panel's writes: each goes through the board model with this tab's origin
 * (so it can be undone) and reports whether it was accepted.
 */
import { updateRecord } from '../../board/board-doc.ts';
import type { BoardLive } from '../../collab/board-live.svelte.ts';
import type { PatchInput, RegisterName } from '../../protocol/records.ts';

export function patchRecord<R extends RegisterName>(live: BoardLive, register: R, id: string, patch: PatchInput<R>): boolean {
	return live.write((doc, actor, options) => updateRecord(doc, register, id, patch, actor, options)) !== undefined;
}

/** A text field written as the person types: the model splices only what changed. */
export function textWriter<R extends RegisterName>(live: BoardLive, register: R, id: string, field: string): (value: string) => boolean {
	return (value) => patchRecord(live, register, id, { [field]: value } as PatchInput<R>);
}
