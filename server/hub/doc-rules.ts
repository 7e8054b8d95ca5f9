/**
 * What the hub asks of a kind of document beyond syncing it: which peer updates to refuse before
 * they are applied, what an accepted change did (for the ledger), and what the server stamps
 * afterwards. Board documents have one implementation (`server/ledger/board-rules.ts`); any other
 * document is synced as it is.
 */
import type * as Y from 'yjs';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import type { Principal } from '../auth/principal.ts';
import type { RecordChanges } from '../ledger/describe-changes.ts';
import type { Refusal } from '../ledger/update-check.ts';

/** What a stamp is made from: a ledger entry before the store has numbered it. */
export type StampSource = Pick<LedgerEntry, 'at' | 'by' | 'recordId' | 'changes'>;

export interface DocRules {
	/** Refuses a peer's update before anything is applied; undefined accepts it. */
	check(doc: Y.Doc, update: Uint8Array, principal: Principal): Refusal | undefined;
	/** What one accepted local transaction changed; called while its deleted content is readable. */
	describe(transaction: Y.Transaction): RecordChanges[];
	/**
	 * Right after an accepted change, writes the server's own stamps for it into the document
	 * (inside a transaction the hub opens), so they are stored and sent in the change's own batch.
	 */
	stamp(doc: Y.Doc, entries: readonly StampSource[]): void;
}

/** Picks the rules of a document by its name; undefined for documents synced as they are. */
export type DocRulesFor = (docName: string) => DocRules | undefined;
