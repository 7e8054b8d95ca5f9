/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The board pages' service worker, registered by `OfflineShell` for the scope `/boards/` only
 * (`kit.serviceWorker.register` is off). It keeps the last good copy of each board page, its data and
 * the app's scripts, so a board reloaded while the server is unreachable still opens and shows this
 * browser's copy of the document (IndexedDB), offline edits included. Network first for pages and
 * data (never stale while online); scripts are content-hashed, so cache first. Signing out clears the
 * cache. The cache keeps one name across deploys: a page kept before a deploy still finds the scripts
 * it was built with.
 */
const worker = self as unknown as ServiceWorkerGlobalScope;
const cacheName = 'mission-control-boards-v1';
const dataPath = /^\/boards\/[^/]+\/__data\.json$/;

worker.addEventListener('install', () => void worker.skipWaiting());
worker.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const name of await caches.keys()) if (name !== cacheName) await caches.delete(name);
			await worker.clients.claim();
		})()
	);
});

function keyOf(url: string): string {
	const copy = new URL(url);
	copy.search = '';
	return copy.href;
}

function kindOf(request: Request): 'page' | 'asset' | undefined {
	const url = new URL(request.url);
	if (url.origin !== worker.location.origin) return undefined;
	if (request.mode === 'navigate') return url.pathname.startsWith('/boards/') ? 'page' : undefined;
	if (url.pathname.startsWith('/_app/immutable/')) return 'asset';
	if (dataPath.test(url.pathname)) return 'page';
	return undefined;
}

async function remember(request: Request, response: Response): Promise<void> {
	const cache = await caches.open(cacheName);
	if (response.ok && !response.redirected) await cache.put(keyOf(request.url), response);
	else if ([401, 403, 404].includes(response.status) || response.redirected) await cache.delete(keyOf(request.url));
}

async function networkFirst(request: Request): Promise<Response> {
	try {
		const response = await fetch(request);
		await remember(request, response.clone());
		return response;
	} catch (error) {
		const cached = await caches.match(keyOf(request.url));
		if (cached) return cached;
		throw error;
	}
}

async function cacheFirst(request: Request): Promise<Response> {
	const cached = await caches.match(keyOf(request.url));
	if (cached) return cached;
	const response = await fetch(request);
	await remember(request, response.clone());
	return response;
}

worker.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method === 'POST' && new URL(request.url).pathname === '/logout') {
		event.waitUntil(caches.delete(cacheName));
		return;
	}
	if (request.method !== 'GET') return;
	const kind = kindOf(request);
	if (kind === 'page') event.respondWith(networkFirst(request));
	else if (kind === 'asset') event.respondWith(cacheFirst(request));
});

/** A page asks for what it loaded before the worker controlled it (its first visit). */
worker.addEventListener('message', (event) => {
	const data = event.data as { type?: unknown; urls?: unknown } | null;
	const urls: unknown[] = data?.type === 'keep' && Array.isArray(data.urls) ? data.urls : [];
	event.waitUntil(
		(async () => {
			for (const url of urls) {
				if (typeof url !== 'string') continue;
				const request = new Request(url, { credentials: 'same-origin' });
				if (!kindOf(request) && !url.startsWith(`${worker.location.origin}/boards/`)) continue;
				try {
					await remember(request, await fetch(request));
				} catch {
					// Offline already: nothing more to keep now.
				}
			}
			event.source?.postMessage({ type: 'kept', count: urls.length });
		})()
	);
});
