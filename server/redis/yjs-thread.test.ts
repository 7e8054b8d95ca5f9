import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { summariseLive } from './anti-entropy-compare.ts';
import { WorkerThreadError } from './worker-thread.ts';
import { YjsThreadHandle } from './yjs-thread.ts';

function storedAndLive(): { stored: Uint8Array[]; live: Y.Doc; update: Uint8Array } {
	const source = new Y.Doc();
	source.getMap('records').set('a', 1);
	const live = new Y.Doc();
	Y.applyUpdate(live, Y.encodeStateAsUpdate(source));
	source.getMap('records').set('b', 2);
	const update = Y.encodeStateAsUpdate(source);
	return { stored: [update], live, update };
}

describe('YjsThreadHandle', () => {
	it('gives every user of the process one thread, answering merges and compares alike', async () => {
		const store = new YjsThreadHandle();
		const relay = new YjsThreadHandle();
		try {
			expect(relay.thread).toBe(store.thread);
			const { stored, live, update } = storedAndLive();
			const [merged, compared] = await Promise.all([
				store.request((id) => ({ id, kind: 'merge', updates: [new Uint8Array(update)] })),
				relay.request((id) => ({ id, kind: 'compare', stored, live: summariseLive(live) }))
			]);
			expect('merged' in merged && merged.merged).toBeInstanceOf(Uint8Array);
			expect('missing' in compared && compared.missing).toBeInstanceOf(Uint8Array);
			expect(store.running).toBe(true);
		} finally {
			await store.release();
			await relay.release();
		}
	}, 30_000);

	it('keeps the thread for the other users when one lets go, and stops it with the last', async () => {
		const first = new YjsThreadHandle();
		const second = new YjsThreadHandle();
		const { stored, live } = storedAndLive();
		const compare = (handle: YjsThreadHandle) => handle.request((id) => ({ id, kind: 'compare', stored, live: summariseLive(live) }));
		await compare(first);
		// A request of the other user in flight when the first lets go is still answered.
		const inFlight = compare(second);
		await first.release();
		await expect(compare(first)).rejects.toBeInstanceOf(WorkerThreadError);
		const answer = await inFlight;
		expect('missing' in answer && answer.missing).toBeInstanceOf(Uint8Array);
		expect(second.running).toBe(true);
		await second.release();
		expect(second.running).toBe(false);
		// A user arriving later gets a fresh thread.
		const later = new YjsThreadHandle();
		try {
			expect(later.thread).not.toBe(second.thread);
			const again = await compare(later);
			expect('missing' in again && again.missing).toBeInstanceOf(Uint8Array);
		} finally {
			await later.release();
		}
	}, 30_000);
});
