/**
 * Work keyed by document run one after another (a store's compactions of one document): each waits
 * for the previous one of its key to settle. A failure belongs to its own caller; the next runs
 * regardless.
 */
export function oneAtATimePerKey(): (key: string, work: () => Promise<void>) => Promise<void> {
	const running = new Map<string, Promise<void>>();
	return (key, work) => {
		const run = (running.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
		running.set(key, run);
		const forget = () => {
			if (running.get(key) === run) running.delete(key);
		};
		run.then(forget, forget);
		return run;
	};
}
