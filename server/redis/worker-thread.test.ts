import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { summariseLive } from './anti-entropy-compare.ts';
import { WorkerThread, WorkerThreadError } from './worker-thread.ts';
import type { YjsAnswer, YjsRequest } from './yjs-worker.ts';

const yjsWorker = new URL('./yjs-worker.ts', import.meta.url);

function storedAndLive(): { stored: Uint8Array[]; live: Y.Doc } {
	const source = new Y.Doc();
	source.getMap('records').set('a', 1);
	const live = new Y.Doc();
	Y.applyUpdate(live, Y.encodeStateAsUpdate(source));
	source.getMap('records').set('b', 2);
	return { stored: [Y.encodeStateAsUpdate(source)], live };
}

describe('WorkerThread', () => {
	it('answers by id, ends when idle and starts again on the next request', async () => {
		const thread = new WorkerThread<YjsRequest, YjsAnswer>({ url: yjsWorker, name: 'test-compare', idleStopMs: 100 });
		try {
			const { stored, live } = storedAndLive();
			const answer = await thread.request((id) => ({ id, kind: 'compare', stored, live: summariseLive(live) }));
			expect('missing' in answer && answer.missing).toBeInstanceOf(Uint8Array);
			expect(thread.running).toBe(true);
			await expect.poll(() => thread.running).toBe(false);
			const again = await thread.request((id) => ({ id, kind: 'compare', stored, live: summariseLive(live) }));
			expect('missing' in again && again.missing).toBeInstanceOf(Uint8Array);
		} finally {
			await thread.stop();
		}
		// Two thread starts (each loads Yjs afresh): seconds on a busy machine.
	}, 30_000);

	it("gives a large merge's garbage back once the thread is quiet", async () => {
		// As `npm run serve` runs the server (`node --expose-gc`): a thread started from now on has `gc`.
		setFlagsFromString('--expose-gc');
		const thread = new WorkerThread<YjsRequest, YjsAnswer>({ url: yjsWorker, name: 'test-give-back' });
		try {
			// 20,000 small edits stored one by one: merging them builds a document of tens of MB in the thread.
			const source = new Y.Doc();
			const updates: Uint8Array[] = [];
			source.on('update', (update: Uint8Array) => updates.push(update));
			const records = source.getMap('records');
			for (let i = 0; i < 20_000; i++) records.set(`r${i}`, { title: `record ${i}`, owner: 'someone' });
			const answer = await thread.request((id) => ({ id, kind: 'merge', updates }));
			expect('merged' in answer && answer.merged.byteLength).toBeGreaterThan(0);
			const merged = await thread.heapStatistics();
			expect(merged?.used_heap_size).toBeGreaterThan(20 * 1_048_576);
			await expect.poll(async () => (await thread.heapStatistics())?.used_heap_size ?? 0, { timeout: 3_000 }).toBeLessThan(10 * 1_048_576);
		} finally {
			await thread.stop();
		}
	}, 30_000);

	it('refuses requests once stopped', async () => {
		const thread = new WorkerThread<YjsRequest, YjsAnswer>({ url: yjsWorker, name: 'test-compare' });
		await thread.stop();
		expect(thread.running).toBe(false);
		const { stored, live } = storedAndLive();
		await expect(thread.request((id) => ({ id, kind: 'compare', stored, live: summariseLive(live) }))).rejects.toBeInstanceOf(WorkerThreadError);
	});
});
