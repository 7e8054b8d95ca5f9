/**
 * Keeps a page's workspace data live: listens for socket.io `workspace:changed` (websocket
 * transport only; the session cookie authenticates it) and re-runs the page's `load` through
 * `invalidate`, coalescing bursts into one refresh at a time. After each refresh it compares
 * what the page shows with what it showed before and announces additions and removals politely
 * ("Board Housing was added").
 */
import { invalidate } from '$app/navigation';
import { workspaceChange } from '../protocol/room-events.ts';
import { RoomConnection, type RoomSocket } from './room-socket.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'signed-out';

/** What the page shows now, keyed by a stable id (e.g. `board:<id>`), with a label to announce. */
export type Shown = ReadonlyMap<string, { kind: 'Mission' | 'Board' | 'Department'; title: string }>;

export interface WorkspaceLiveOptions {
	/** Read after each refresh to find what was added or removed. */
	shown: () => Shown;
	/** The `depends()` key of the page data to re-run. */
	dependency: string;
}

export function describeChanges(before: Shown, after: Shown): string {
	const lines: string[] = [];
	for (const [key, item] of after) if (!before.has(key)) lines.push(`${item.kind} ${item.title} was added`);
	for (const [key, item] of before) if (!after.has(key)) lines.push(`${item.kind} ${item.title} was removed`);
	for (const [key, item] of after) {
		const previous = before.get(key);
		if (previous && previous.title !== item.title) lines.push(`${previous.kind} ${previous.title} was renamed ${item.title}`);
	}
	if (lines.length > 3) return `${lines.length} changes to missions and boards`;
	return lines.join('. ');
}

export class WorkspaceLive {
	#status = $state<LiveStatus>('connecting');
	#announcement = $state('');
	#connection = new RoomConnection();
	#options: WorkspaceLiveOptions;
	#refreshing: Promise<void> | undefined;
	#again = false;

	constructor(options: WorkspaceLiveOptions) {
		this.#options = options;
	}

	get status(): LiveStatus {
		return this.#status;
	}

	/** The latest announcement, for an aria-live="polite" region. */
	get announcement(): string {
		return this.#announcement;
	}

	/** Connects (browser only); call `destroy` when the page goes. */
	connect(): void {
		this.#connection.open((socket) => this.#listen(socket));
	}

	#listen(socket: RoomSocket): void {
		socket.on('connect', () => {
			// Whatever changed while we were away is fetched once on every (re)connection.
			if (this.#status === 'reconnecting') this.refresh();
			this.#status = 'live';
		});
		socket.on('disconnect', () => {
			this.#status = 'reconnecting';
		});
		socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
			this.#status = error.data?.code === 'unauthenticated' ? 'signed-out' : 'reconnecting';
		});
		socket.on('workspace:changed', (change) => {
			if (workspaceChange.safeParse(change).success) this.refresh();
		});
	}

	/** Re-runs the page's load; changes arriving meanwhile cause exactly one more run. */
	refresh(): void {
		if (this.#refreshing) {
			this.#again = true;
			return;
		}
		this.#refreshing = this.#run()
			.catch((error: unknown) => {
				// Offline or the server restarting: the next change or reconnection refreshes again.
				console.warn('workspace refresh failed', error);
			})
			.finally(() => {
				this.#refreshing = undefined;
			});
	}

	async #run(): Promise<void> {
		do {
			this.#again = false;
			const before = new Map(this.#options.shown());
			await invalidate(this.#options.dependency);
			const message = describeChanges(before, this.#options.shown());
			if (message) this.#announcement = message;
		} while (this.#again);
	}

	/** Idempotent. */
	destroy(): void {
		this.#connection.close();
	}
}
