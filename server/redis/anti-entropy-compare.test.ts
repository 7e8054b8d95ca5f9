import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { missingFromLive, summariseLive } from './anti-entropy-compare.ts';

/** A board-like document written as many small updates (every field overwritten: a growing delete set). */
function written(records: number, edits: number): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	const map = doc.getMap<Y.Map<string>>('records');
	doc.transact(() => {
		for (let index = 0; index < records; index++) {
			const record = new Y.Map<string>();
			for (let field = 0; field < 5; field++) record.set(`f${field}`, `record ${index} field ${field}`);
			map.set(`r${index}`, record);
		}
	});
	for (let edit = 0; edit < edits; edit++) map.get(`r${(edit * 7) % records}`)!.set(`f${edit % 5}`, `edit ${edit}`);
	return { doc, updates };
}

function liveFrom(updates: readonly Uint8Array[]): Y.Doc {
	const live = new Y.Doc();
	for (const update of updates) Y.applyUpdate(live, update);
	return live;
}

const stateOf = (doc: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');

describe('missingFromLive', () => {
	it('finds nothing when the live document holds everything stored', () => {
		const { doc, updates } = written(50, 200);
		expect(missingFromLive([Y.encodeStateAsUpdate(doc)], summariseLive(liveFrom(updates)))).toBeUndefined();
		expect(missingFromLive(updates, summariseLive(liveFrom(updates)))).toBeUndefined();
	});

	it('returns the missed updates, items and deletions, and nothing of what the live document has', () => {
		const { doc, updates } = written(50, 200);
		const live = liveFrom(updates.slice(0, -3));
		const missing = missingFromLive([Y.encodeStateAsUpdate(doc)], summariseLive(live));
		expect(missing).toBeDefined();
		expect(missing!.length).toBeLessThan(updates.slice(-3).reduce((sum, update) => sum + update.length, 0) + 64);
		Y.applyUpdate(live, missing!);
		expect(stateOf(live)).toBe(stateOf(doc));
	});

	it('finds a missed deletion alone, which a state vector cannot show', () => {
		const { doc, updates } = written(20, 0);
		const live = liveFrom(updates);
		const deletions: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => deletions.push(update));
		doc.getMap('records').delete('r7');
		expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(live));
		const missing = missingFromLive([...updates, ...deletions], summariseLive(live));
		expect(missing).toBeDefined();
		Y.applyUpdate(live, missing!);
		expect(live.getMap('records').has('r7')).toBe(false);
		expect(stateOf(live)).toBe(stateOf(doc));
	});

	it('leaves out what the live document has that the store does not (changes not yet stored)', () => {
		const { updates } = written(20, 40);
		const live = liveFrom(updates);
		live.getMap<Y.Map<string>>('records').get('r3')!.set('f1', 'live only');
		expect(missingFromLive(updates, summariseLive(live))).toBeUndefined();
	});
});
