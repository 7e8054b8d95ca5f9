import type { Store } from '../../server/store/store.ts';

/** Counts how often the store is asked for a past moment (`loadAsAt`) until `restore()`. */
export function countPastLoads(store: Store): { readonly count: number; reset(): void; restore(): void } {
	const loadAsAt = store.loadAsAt.bind(store);
	let loads = 0;
	store.loadAsAt = (name, at) => {
		loads++;
		return loadAsAt(name, at);
	};
	return {
		get count() {
			return loads;
		},
		reset() {
			loads = 0;
		},
		restore() {
			store.loadAsAt = loadAsAt;
		}
	};
}
