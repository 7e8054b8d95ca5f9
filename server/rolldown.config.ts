/**
 * The production build of `server/`: `npm run build` bundles server/main.ts (and the anti-entropy
 * worker threads) into build/backend/*.js after `vite build` has written the SvelteKit app into build/.
 * `npm run serve` runs that JavaScript, so Node never loads its type stripper in production
 * (17 MB of RSS at rest). Packages in node_modules stay external and load as they do from source;
 * the code under server/ and src/lib/ (through `#lib/*`) is bundled, minified, with source maps.
 * `node server/main.ts` still runs the same code unbundled, for development and tests.
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, RolldownMagicString, type Plugin } from 'rolldown';

/** The repository's root: this file sits in server/. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, 'build/backend');
/** Each entry's source and the file it becomes in outDir. */
const entries = { main: 'server/main.ts', 'yjs-worker': 'server/redis/yjs-worker.ts' } as const;
const builtEntries = new Map(Object.entries(entries).map(([name, source]) => [resolve(root, source), `${name}.js`]));

/**
 * `new URL('<relative>', import.meta.url)` names a file relative to the source module; bundled, the
 * module's URL is the output file's. This rewrites the relative path so it names the same file from
 * build/backend/ (a `.ts` entry becomes its built `.js`).
 */
function relativeUrlsFromOutput(): Plugin {
	const pattern = /new URL\((['"])(\.\.?\/[^'"]+)\1,\s*import\.meta\.url\)/g;
	return {
		name: 'relative-urls-from-output',
		transform(code, id) {
			if (!code.includes('import.meta.url')) return null;
			const source = new RolldownMagicString(code);
			let changed = false;
			for (const match of code.matchAll(pattern)) {
				const [whole, quote = "'", path = ''] = match;
				const target = resolve(dirname(id), path);
				const built = builtEntries.get(target);
				const fromOutput = built ? `./${built}` : relative(outDir, target).split('\\').join('/');
				const relativeUrl = fromOutput.startsWith('.') ? fromOutput : `./${fromOutput}`;
				source.overwrite(match.index, match.index + whole.length, `new URL(${quote}${relativeUrl}${quote}, import.meta.url)`);
				changed = true;
			}
			return changed ? { code: source } : null;
		}
	};
}

export default defineConfig({
	input: Object.fromEntries(Object.entries(entries).map(([name, source]) => [name, resolve(root, source)])),
	platform: 'node',
	// Bare specifiers (packages, node: built-ins) load from node_modules at run time; `#lib/*` and
	// relative imports are ours and bundled.
	external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('#') && !id.startsWith('\0'),
	plugins: [relativeUrlsFromOutput()],
	// charset ascii: V8 keeps a script's source with a non-ASCII character as two bytes per character.
	output: { dir: outDir, format: 'esm', sourcemap: true, minify: true, charset: 'ascii', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' }
});
