/**
 * The one seam between SvelteKit's server code and the backend built by `server/`.
 * The HTTP server runs each request inside `runWithBackend`, so several backends can live in one
 * process (tests); the dev server registers its single backend as the fallback.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Backend } from '../../../server/backend.ts';

// The backend's types, for SvelteKit's server code: routes import these, never `server/` itself.
export type { Backend };
export type * from '../../../server/http-types.ts';

interface BackendSlot {
	context: AsyncLocalStorage<Backend>;
	fallback: Backend | undefined;
}

const slotKey = Symbol.for('mission-control.backend-slot');

function slot(): BackendSlot {
	const holder = globalThis as typeof globalThis & { [slotKey]?: BackendSlot };
	holder[slotKey] ??= { context: new AsyncLocalStorage<Backend>(), fallback: undefined };
	return holder[slotKey];
}

export function runWithBackend<T>(backend: Backend, fn: () => T): T {
	return slot().context.run(backend, fn);
}

export function setFallbackBackend(backend: Backend | undefined): void {
	slot().fallback = backend;
}

/** The backend serving the current request. */
export function backend(): Backend {
	const current = slot().context.getStore() ?? slot().fallback;
	if (!current) throw new Error('No backend for this request: start the app with `npm run serve` or `npm run dev`.');
	return current;
}
