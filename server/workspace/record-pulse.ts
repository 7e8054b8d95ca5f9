/**
 * Tells open pages that records changed, so the counts and mission headers on the home page and
 * the mission pages follow edits made on any board. The hub reports each durable batch of ledger
 * entries; this turns them into at most one `workspace:changed` of kind `records` per interval
 * (trailing, so the last edit of a burst is always announced). The event carries no board id:
 * every page re-reads only what its viewer may see (docs/access.md).
 */
import { boardIdOfDoc } from '#lib/protocol/doc-names.ts';
import type { WorkspaceChange } from '#lib/protocol/room-events.ts';
import type { HubHooks } from '../hub/hooks.ts';

export const recordPulseDefaults = {
	/** At most one announcement per this many milliseconds. */
	intervalMs: 1_500
} as const;

export class RecordPulse {
	#announce: (change: WorkspaceChange) => void;
	#intervalMs: number;
	#timer: NodeJS.Timeout | undefined;
	#closed = false;

	constructor(options: { announce: (change: WorkspaceChange) => void; intervalMs?: number }) {
		this.#announce = options.announce;
		this.#intervalMs = options.intervalMs ?? recordPulseDefaults.intervalMs;
	}

	readonly hubHooks: HubHooks = {
		onLedger: (event) => {
			if (event.entries.length > 0 && boardIdOfDoc(event.docName) !== undefined) this.#schedule();
		}
	};

	#schedule(): void {
		if (this.#timer || this.#closed) return;
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.#announce({ kind: 'records' });
		}, this.#intervalMs);
		this.#timer.unref();
	}

	/** Stops announcing (idempotent); a pending announcement is dropped. */
	close(): void {
		this.#closed = true;
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}
}
