import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, updateRecord } from './board-doc.ts';
import { updatedAtCoalesceMs } from './write.ts';

const actor = { name: 'Priya Shah', id: 'u1' };
const t0 = 1_800_000_000_000;
const edits = 1_000;

/** Makes `edits` edits of one field of one action, `stepMs` apart; returns the growth of the encoded doc. */
function grow(stepMs: number, patchFor: (i: number) => { status: 'open' | 'done' } | { title: string }) {
	const doc = new Y.Doc();
	// Fixed, so runs compare: every tombstone encodes the client id as a varint (1–5 bytes).
	doc.clientID = 3_000_000_000;
	const { id } = createRecord(doc, 'actions', { text: 'Send the note', owner: actor, due: '2026-05-01' }, actor, {
		now: t0
	});
	const base = Y.encodeStateAsUpdate(doc).length;
	const baseV2 = Y.encodeStateAsUpdateV2(doc).length;
	for (let i = 1; i <= edits; i++) {
		expect(updateRecord(doc, 'actions', id, patchFor(i), actor, { now: t0 + i * stepMs })).toBe(true);
	}
	return {
		v1: Y.encodeStateAsUpdate(doc).length - base,
		v2: Y.encodeStateAsUpdateV2(doc).length - baseV2
	};
}

const toggleStatus = (i: number) => ({ status: i % 2 ? 'done' : 'open' }) as const;
const longTitle = (i: number) => ({ title: `Title ${i} `.padEnd(200, 'x') });

describe('document growth under repeated edits', () => {
	it('a burst of 1,000 status edits grows the doc by under 2 KB', () => {
		// One person clicking through statuses: updatedAt is rewritten once a minute, so the
		// overwritten status values are consecutive and merge into one tombstone range.
		const growth = grow(1_000, toggleStatus);
		expect(growth.v1).toBeLessThan(2_048);
	});

	it('1,000 status edits spread over days cost under 20 bytes each (V1) and stay tiny in V2', () => {
		// Each edit also rewrites updatedAt, so tombstones interleave: ~18 bytes per edit in
		// the V1 encoding y-websocket uses; V2 run-length encodes them away.
		const growth = grow(updatedAtCoalesceMs * 2, toggleStatus);
		expect(growth.v1).toBeLessThan(edits * 20);
		expect(growth.v2).toBeLessThan(1_024);
	});

	it('overwritten values are not retained: 200-character titles grow the doc like 4-character statuses', () => {
		const status = grow(updatedAtCoalesceMs * 2, toggleStatus);
		const title = grow(updatedAtCoalesceMs * 2, longTitle);
		// 1,000 titles of 200 characters would be ~200 KB if their content were kept.
		expect(title.v1 - status.v1).toBeLessThan(1_024);
	});

	it('a patch that changes nothing writes nothing', () => {
		const doc = new Y.Doc();
		const { id } = createRecord(doc, 'actions', { text: 'Send the note', owner: actor, due: '2026-05-01' }, actor);
		const before = Y.encodeStateAsUpdate(doc);
		expect(updateRecord(doc, 'actions', id, { status: 'open', owner: { ...actor } }, actor)).toBe(false);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});
});
