/**
 * The board pages' service worker (scope `/boards/`): it keeps the last good copy of each board
 * page, its data and the app's scripts, so a board reloaded while the server is unreachable still
 * opens and shows this browser's copy of the document (IndexedDB), offline edits included.
 * Network first for pages and data (never stale while online); scripts are content-hashed, so
 * cache first. Signing out from a board page clears the cache.
 */
import type { RequestHandler } from './$types';

const script = String.raw`
const cacheName = 'mission-control-boards-v1';
const dataPath = /^\/boards\/[^/]+\/__data\.json$/;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
	event.waitUntil((async () => {
		for (const name of await caches.keys()) if (name !== cacheName) await caches.delete(name);
		await self.clients.claim();
	})());
});

function keyOf(url) {
	const copy = new URL(url);
	copy.search = '';
	return copy.href;
}

function kindOf(request) {
	const url = new URL(request.url);
	if (url.origin !== self.location.origin) return undefined;
	if (request.mode === 'navigate') return url.pathname.startsWith('/boards/') ? 'page' : undefined;
	if (url.pathname.startsWith('/_app/immutable/')) return 'asset';
	if (dataPath.test(url.pathname)) return 'page';
	return undefined;
}

async function remember(request, response) {
	const cache = await caches.open(cacheName);
	if (response.ok && !response.redirected) await cache.put(keyOf(request.url), response);
	else if ([401, 403, 404].includes(response.status) || response.redirected) await cache.delete(keyOf(request.url));
}

async function networkFirst(request) {
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

async function cacheFirst(request) {
	const cached = await caches.match(keyOf(request.url));
	if (cached) return cached;
	const response = await fetch(request);
	await remember(request, response.clone());
	return response;
}

self.addEventListener('fetch', (event) => {
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
self.addEventListener('message', (event) => {
	const urls = event.data && event.data.type === 'keep' && Array.isArray(event.data.urls) ? event.data.urls : [];
	event.waitUntil((async () => {
		for (const url of urls) {
			if (typeof url !== 'string') continue;
			const request = new Request(url, { credentials: 'same-origin' });
			if (!kindOf(request) && !url.startsWith(self.location.origin + '/boards/')) continue;
			try {
				await remember(request, await fetch(request));
			} catch {
				// Offline already: nothing more to keep now.
			}
		}
		event.source?.postMessage({ type: 'kept', count: urls.length });
	})());
});
`;

export const GET: RequestHandler = () =>
	new Response(script, {
		headers: {
			'content-type': 'text/javascript; charset=utf-8',
			'cache-control': 'no-cache',
			'content-security-policy': "default-src 'self'",
			'service-worker-allowed': '/boards/'
		}
	});
