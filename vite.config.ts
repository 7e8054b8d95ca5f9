import { availableParallelism } from 'node:os';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** In `npm run dev`, attaches the real backend (hub, socket.io, health) to Vite's server. */
function missionControlBackend(): Plugin {
	return {
		name: 'mission-control-backend',
		apply: 'serve',
		async configureServer(server) {
			if (process.env.VITEST) return;
			// Loaded by Node itself (type stripping), not bundled into the config: one copy of the backend.
			const modulePath = new URL('./server/dev-backend.ts', import.meta.url).href;
			const { attachDevBackend } = (await import(/* @vite-ignore */ modulePath)) as typeof import('./server/dev-backend.ts');
			await attachDevBackend(server);
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), missionControlBackend()],
	// The server's build minified as well as the browser's (Vite leaves SSR code as it is): Node keeps
	// every loaded module's source text in memory, SvelteKit's runtime chunks 250 KB of it unminified.
	build: { minify: true },
	server: { port: Number(process.env.PORT ?? 5173) },
	test: {
		// A test that asserts nothing cannot fail: every test must make at least one assertion.
		// expect.poll waits up to 10 s (vitest's 1 s default is shorter than one Playwright call on a
		// loaded two-core machine); a poll that should settle sooner says so itself.
		expect: { requireAssertions: true, poll: { timeout: 10_000 } },
		// The built app (build/) is loaded by Node as it is; vite-plugin-svelte must not recompile its chunks.
		server: { deps: { external: [/\/build\//] } },
		// vitest's default (one file per core but one) is a single file at a time on a two-core CI
		// machine: at least two here. A browser file keeps under one core busy between its waits
		// (Chromium, the in-process server, the test), so a second file, browser or not, uses the
		// other core. One worker pool for all three projects: browser files run alongside the others.
		// `--maxWorkers 1` runs one file at a time again.
		maxWorkers: Math.max(2, availableParallelism() - 1),
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'server/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['test/**/*.test.ts'],
					exclude: ['test/browser/**'],
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['test/browser/**/*.test.ts'],
					environment: 'node',
					// One Chromium for the run (launchBrowser() connects to it): test/helpers/chromium-server.ts.
					globalSetup: ['test/helpers/chromium-server.ts'],
					// A test shares the two cores with another file's test: room for one twice as slow.
					testTimeout: 90_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
