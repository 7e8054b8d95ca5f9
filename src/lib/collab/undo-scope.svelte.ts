/**
 * Undo and redo of this tab's own changes only: a Y.UndoManager over the four registers that
 * tracks a single transaction origin (the session's), so other people's edits, reference repairs
 * and the local cache loading are never undone.
 */
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import { registerMap } from '../board/layout.ts';
import { itemRemovalRefused } from '../board/protected.ts';
import { registerNames } from '../protocol/registers.ts';

export const undoDefaults = {
	/** Edits closer together than this are undone as one step (typing a word). */
	captureTimeoutMs: 600
} as const;

export class UndoScope {
	readonly manager: Y.UndoManager;
	#subscribe = createSubscriber((update) => {
		const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;
		for (const event of events) this.manager.on(event, update);
		return () => {
			for (const event of events) this.manager.off(event, update);
		};
	});

	constructor(doc: Y.Doc, origin: unknown) {
		this.manager = new Y.UndoManager(
			registerNames.map((register) => registerMap(doc, register)),
			{
				trackedOrigins: new Set([origin]),
				captureTimeout: undoDefaults.captureTimeoutMs,
				// Never try what the server refuses: log entries and recorded decisions stay.
				deleteFilter: (item) => !itemRemovalRefused(item)
			}
		);
	}

	get canUndo(): boolean {
		this.#subscribe();
		return this.manager.canUndo();
	}

	get canRedo(): boolean {
		this.#subscribe();
		return this.manager.canRedo();
	}

	/** Undoes this tab's last change; returns whether there was one. */
	undo(): boolean {
		return this.manager.undo() !== null;
	}

	redo(): boolean {
		return this.manager.redo() !== null;
	}

	/** Ends the current capture group, so the next edit is its own undo step. */
	stopCapturing(): void {
		this.manager.stopCapturing();
	}

	destroy(): void {
		this.manager.destroy();
	}
}
