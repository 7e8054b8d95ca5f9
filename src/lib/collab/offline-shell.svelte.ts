/**
 * Registers the board pages' service worker (`src/service-worker.ts`, which SvelteKit builds to
 * `/service-worker.js`) for the scope `/boards/` and hands it what this page loaded
 * before the worker controlled it, so the board opens again without the server. `available` turns
 * true once the worker has kept this page.
 *
 * Nothing starts until `keep()`: on a first visit the worker fetches every script and the page
 * again, which must not compete with the board's own first open (the owner calls it once the board
 * is on screen and the browser is idle).
 */
import { dev } from '$app/environment';

export const offlineShellDefaults = { scriptUrl: '/service-worker.js', scope: '/boards/' } as const;

export class OfflineShell {
	#available = $state(false);
	#started = false;
	#destroyed = false;

	/** Registers the worker and hands it this page's files (once; nothing after `destroy`). */
	keep(): void {
		if (this.#started || this.#destroyed || !('serviceWorker' in navigator)) return;
		this.#started = true;
		navigator.serviceWorker.addEventListener('message', this.#onMessage);
		void this.#register();
	}

	/** The page, its data and its scripts are kept for opening without the server. */
	get available(): boolean {
		return this.#available;
	}

	async #register(): Promise<void> {
		try {
			await navigator.serviceWorker.register(offlineShellDefaults.scriptUrl, {
				scope: offlineShellDefaults.scope,
				// `npm run dev` serves the worker as an ES module; the build bundles it into one script.
				type: dev ? 'module' : 'classic'
			});
			const registration = await navigator.serviceWorker.ready;
			if (this.#destroyed) return;
			const origin = location.origin;
			const loaded = performance
				.getEntriesByType('resource')
				.map((entry) => entry.name)
				.filter((url) => url.startsWith(`${origin}/_app/immutable/`) || /\/boards\/[^/]+\/__data\.json/.test(url));
			registration.active?.postMessage({ type: 'keep', urls: [`${origin}${location.pathname}`, ...loaded] });
		} catch (error) {
			// Private windows and some policies refuse workers: the board still works online.
			console.warn('the board cannot be kept for offline use', error);
		}
	}

	#onMessage = (event: MessageEvent): void => {
		const data: unknown = event.data;
		if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'kept') this.#available = true;
	};

	destroy(): void {
		this.#destroyed = true;
		if ('serviceWorker' in navigator) navigator.serviceWorker.removeEventListener('message', this.#onMessage);
	}
}
