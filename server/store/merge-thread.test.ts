import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WorkerThreadError } from '../redis/worker-thread.ts';
import { MergeThread } from './merge-thread.ts';
import { mergeStoredUpdates } from './merge-updates.ts';

function edits(count: number): Uint8Array[] {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	for (let i = 0; i < count; i++) doc.getMap('records').set(`r${i % 7}`, `value ${i}`);
	return updates;
}

describe('MergeThread', () => {
	let thread: MergeThread | undefined;
	afterEach(async () => {
		await thread?.stop();
	});

	it('merges in a thread to the same bytes as mergeStoredUpdates', async () => {
		thread = new MergeThread();
		const updates = edits(50);
		// Views into one larger buffer, as a Redis reply hands them over.
		const pool = Buffer.concat(updates.map((u) => Buffer.from(u)));
		let offset = 0;
		const views = updates.map((u) => {
			const view = pool.subarray(offset, offset + u.byteLength);
			offset += u.byteLength;
			return view;
		});
		const merged = await thread.merge(views);
		expect(Buffer.from(merged).equals(Buffer.from(mergeStoredUpdates(updates)))).toBe(true);
		// The caller's bytes were copied, not moved away.
		expect(pool.byteLength).toBe(offset);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, merged);
		expect(doc.getMap('records').get('r0')).toBe('value 49');
	});

	it('rejects a merge of garbage with a named error and keeps serving', async () => {
		thread = new MergeThread();
		await expect(thread.merge([new Uint8Array([255, 255, 255, 255]), new Uint8Array([1, 2, 3])])).rejects.toBeInstanceOf(WorkerThreadError);
		const merged = await thread.merge(edits(3));
		expect(merged.byteLength).toBeGreaterThan(0);
	});

	it('refuses merges once stopped', async () => {
		thread = new MergeThread();
		await thread.merge(edits(2));
		await thread.stop();
		await expect(thread.merge(edits(2))).rejects.toBeInstanceOf(WorkerThreadError);
	});
});
