import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeStoredUpdates } from './merge-updates.ts';

function updatesOf(edit: (doc: Y.Doc, step: number) => void, steps: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let step = 0; step < steps; step++) edit(doc, step);
	return updates;
}

const replay = (updates: readonly Uint8Array[]) => {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
};

describe('mergeStoredUpdates', () => {
	it('holds what the updates hold, overwrites and deletions included, smaller than Y.mergeUpdates', () => {
		const updates = updatesOf((doc, step) => {
			doc.getMap('record').set('status', `status ${step}`);
			doc.getArray('comments').push([{ step }]);
			if (step % 3 === 0) doc.getArray('comments').delete(0, 1);
		}, 300);
		const merged = mergeStoredUpdates(updates);
		expect(replay([merged]).toJSON()).toEqual(replay(updates).toJSON());
		expect(merged.byteLength).toBeLessThan(Y.mergeUpdates(updates).byteLength);
		// Later updates still apply on top of it (a snapshot followed by the log).
		const more = updatesOf((doc, step) => doc.getMap('other').set(`k${step}`, step), 5);
		expect(replay([merged, ...more]).toJSON()).toEqual(replay([...updates, ...more]).toJSON());
	});

	it('keeps an update whose dependencies are missing, to be integrated when they arrive', () => {
		const updates = updatesOf((doc, step) => doc.getArray('log').push([step]), 3);
		const [first, second, third] = updates as [Uint8Array, Uint8Array, Uint8Array];
		const merged = mergeStoredUpdates([first, third]);
		expect(replay([merged, second]).getArray('log').toArray()).toEqual([0, 1, 2]);
	});

	it('returns a single update as it is', () => {
		const [only] = updatesOf((doc) => doc.getMap('m').set('k', 1), 1) as [Uint8Array];
		expect(mergeStoredUpdates([only])).toBe(only);
	});
});
