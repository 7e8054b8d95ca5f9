import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, readRecord, reconcileRefs, updateRecord } from '../board/board-doc.ts';
import { UndoScope } from './undo-scope.svelte.ts';

const priya = { name: 'Priya Shah', id: 'p1' };
const tom = { name: 'Tom Hughes', id: 'p2' };

function sync(from: Y.Doc, to: Y.Doc): void {
	Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
}

describe('UndoScope', () => {
	it('undoes and redoes this tab’s own changes only', () => {
		const mine = new Y.Doc();
		const theirs = new Y.Doc();
		const origin = { tab: 'mine' };
		const undo = new UndoScope(mine, origin);
		const { id } = createRecord(mine, 'actions', { text: 'Send the plan', owner: priya, due: '2026-03-01' }, priya, { origin });
		undo.stopCapturing();
		sync(mine, theirs);
		updateRecord(mine, 'actions', id, { status: 'done' }, priya, { origin });
		updateRecord(theirs, 'actions', id, { owner: tom }, tom);
		sync(theirs, mine);
		expect(undo.canUndo).toBe(true);

		expect(undo.undo()).toBe(true);
		const after = readRecord(mine, 'actions', id);
		expect(after?.ok && after.record.status).toBe('open');
		expect(after?.ok && after.record.owner.name).toBe('Tom Hughes');

		expect(undo.redo()).toBe(true);
		const redone = readRecord(mine, 'actions', id);
		expect(redone?.ok && redone.record.status).toBe('done');
		undo.destroy();
	});

	it('never undoes reference repairs or other people’s records', () => {
		const mine = new Y.Doc();
		const origin = { tab: 'mine' };
		const undo = new UndoScope(mine, origin);
		const theirs = new Y.Doc();
		createRecord(theirs, 'actions', { text: 'Theirs', owner: tom, due: '2026-03-01' }, tom);
		sync(theirs, mine);
		reconcileRefs(mine);
		expect(undo.canUndo).toBe(false);
		expect(undo.undo()).toBe(false);
		undo.destroy();
	});
});
