import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		alias: { "#lib": "src/lib" },
		// src/service-worker.ts serves board pages only: OfflineShell registers it for `/boards/`.
		serviceWorker: { register: false },
		// Content-security policy of every page (docs/access.md): scripts only from this origin or
		// with this response's nonce; styles may be inline (Svelte's style attributes and
		// transitions need it); websockets and fetches only to this origin; no framing, no plugins.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'manifest-src': ['self'],
				'worker-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
