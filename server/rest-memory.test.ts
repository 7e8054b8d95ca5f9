import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';
import { exposedCollect, RestMemory, restMemoryDefaults } from './rest-memory.ts';

/** A RestMemory on an injected clock; `busy` and `collect` can be replaced. */
function harness(options: { busy?: () => Promise<boolean>; collect?: () => void } = {}) {
	let now = 1_000_000;
	let busy = true;
	let collections = 0;
	const rest = new RestMemory({
		busy: options.busy ?? (async () => busy),
		collect:
			options.collect ??
			(() => {
				collections++;
			}),
		log: createLogger('silent'),
		now: () => now
	});
	return {
		rest,
		collections: () => collections,
		setBusy: (value: boolean) => {
			busy = value;
		},
		advance: (ms: number) => {
			now += ms;
		}
	};
}

describe('giving memory back at rest', () => {
	it('collects once the server has been at rest for quietMs, once per rest, never while busy', async () => {
		const { rest, collections, setBusy, advance } = harness();
		await rest.check();
		advance(60_000);
		await rest.check();
		expect(collections()).toBe(0);

		setBusy(false);
		await rest.check();
		advance(restMemoryDefaults.quietMs - 1);
		await rest.check();
		expect(collections()).toBe(0);
		advance(1);
		await rest.check();
		expect(collections()).toBe(1);
		advance(600_000);
		await rest.check();
		expect(collections()).toBe(1);

		// A busy spell arms it again; a short quiet moment inside it does not collect.
		setBusy(true);
		await rest.check();
		setBusy(false);
		advance(restMemoryDefaults.quietMs - 1);
		await rest.check();
		expect(collections()).toBe(1);
		advance(1);
		await rest.check();
		expect(collections()).toBe(2);
	});

	it('survives a collection that throws, and a busy probe that rejects', async () => {
		const failing = harness({
			busy: async () => false,
			collect: () => {
				throw new Error('no');
			}
		});
		failing.advance(restMemoryDefaults.quietMs);
		await expect(failing.rest.check()).resolves.toBeUndefined();
		const probeFails = harness({ busy: () => Promise.reject(new Error('probe')) });
		await expect(probeFails.rest.check()).resolves.toBeUndefined();
	});

	it('is only offered when node runs with --expose-gc', () => {
		const exposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
		expect(exposedCollect() !== undefined).toBe(exposed);
	});
});
