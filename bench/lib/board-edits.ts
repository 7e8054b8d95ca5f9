/**
 * Board-shaped edits for the steady-load scenarios, written the way the board page writes them
 * (docs/document-schema.md): each writer owns one dependency in the `dependencies` register and
 * each edit is one transaction that changes its status, `updatedAt`/`updatedBy`, and appends a
 * comment in the writer's own name. On our server that is a `board:` document, so every edit goes
 * through the protection check and the ledger description on the hot path; the baselines sync the
 * same document as it is.
 *
 * The comment carries the send time: comments are append-only, so every edit is seen by every
 * peer exactly once whatever a server does (a field overwritten twice in one message would show
 * once). It also carries it as a marker string (`edit-marker.ts`) that a peer finds in a message's
 * bytes without applying it. Each adapter passes its own Yjs module, so this file only imports types.
 */
import type * as Yjs from 'yjs';
import { editMarker } from './edit-marker.ts';

export const boardEditRegister = 'dependencies';

/** Who the bench's peers are on our server (they connect with the admin token). */
export const benchAuthor = { id: 'admin', name: 'Administrator' } as const;

const statuses = ['proposed', 'agreed', 'at_risk', 'late'] as const;

export type BoardComment = { id: string; author: typeof benchAuthor; at: number; text: string; sentAt: number; instance: number; mark: string };

export type BoardEdits = {
	/** One edit by the writer owning `recordId` (creating its record first if needed). */
	edit(doc: unknown, recordId: string, seq: number, sentAt: number, instance: number): void;
	/** Calls `seen` for every comment another peer appended to any record of the register. */
	observe(doc: unknown, seen: (comment: BoardComment) => void): void;
};

export function boardEdits(Y: Pick<typeof Yjs, 'Map' | 'Array' | 'YArrayEvent'>): BoardEdits {
	return {
		edit(doc, recordId, seq, sentAt, instance) {
			const ydoc = doc as Yjs.Doc;
			const register = ydoc.getMap<Yjs.Map<unknown>>(boardEditRegister);
			ydoc.transact(() => {
				const now = Date.now();
				let record = register.get(recordId);
				if (!record) {
					record = new Y.Map<unknown>();
					register.set(recordId, record);
					record.set('seq', seq + 1);
					record.set('title', `Agree the data-sharing schedule (${recordId})`);
					record.set('owner', benchAuthor);
					record.set('departments', []);
					record.set('archived', false);
					record.set('createdBy', benchAuthor);
					record.set('createdAt', now);
					record.set('links', new Y.Map());
					record.set('comments', new Y.Array());
				}
				record.set('status', statuses[seq % statuses.length]);
				record.set('updatedAt', now);
				record.set('updatedBy', benchAuthor);
				const comment: BoardComment = { id: `${recordId}-${seq}`, author: benchAuthor, at: now, text: `Checked at the meeting (${seq})`, sentAt, instance, mark: editMarker(sentAt, instance) };
				(record.get('comments') as Yjs.Array<BoardComment>).push([comment]);
			});
		},
		observe(doc, seen) {
			const register = (doc as Yjs.Doc).getMap(boardEditRegister);
			register.observeDeep((events, transaction) => {
				if (transaction.local) return;
				for (const event of events) {
					if (!(event instanceof Y.YArrayEvent)) continue;
					for (const part of event.delta) {
						if (!Array.isArray(part.insert)) continue;
						for (const entry of part.insert as BoardComment[]) if (typeof entry?.sentAt === 'number') seen(entry);
					}
				}
			});
		}
	};
}
