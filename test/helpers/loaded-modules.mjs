/**
 * Preloaded into a server (`NODE_OPTIONS=--import <this file>`, with LOADED_MODULES_OUT naming a
 * file): records the URL of every module the process loads and writes them, one a line, to that
 * file when the process exits. Tests read it to check what a server does not load at start.
 */
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set();
registerHooks({
	load(url, context, next) {
		loaded.add(url);
		return next(url, context);
	}
});
process.on('exit', () => {
	if (process.env.LOADED_MODULES_OUT) writeFileSync(process.env.LOADED_MODULES_OUT, [...loaded].join('\n'));
});
