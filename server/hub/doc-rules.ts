/**
 * What the hub asks of a kind of document beyond syncing it: which peer updates to refuse before
 * they are applied, what an accepted change did (for the ledger), and what the server stamps
 * afterwards. Board documents have one implementation (`server/ledger/board-rules.ts`); any other
 * document is synced as it is.
 */
import type * as Y from 'yjs';
import type { LedgerActor } from '#lib/protocol/ledger.ts';
import type { Principal } from '../auth/principal.ts';
import type { RecordChanges } from '../ledger/describe-changes.ts';
import type { Refusal } from '../ledger/update-check.ts';

export interface DocRules {
	/** Refuses a peer's update before anything is applied; undefined accepts it. */
	check(doc: Y.Doc, update: Uint8Array, principal: Principal): Refusal | undefined;
	/** What one accepted local transaction changed; called while its deleted content is readable. */
	describe(transaction: Y.Transaction): RecordChanges[];
	/**
	 * Right after an accepted change (what `describe` said of it, when and by whom), the server's own
	 * stamps for it: a write the hub runs in a transaction of its own, so they are stored and sent in
	 * the change's own batch; undefined when every stamp already says it (a person's edits in a row
	 * keep the first), so no transaction runs.
	 */
	stamp(doc: Y.Doc, records: readonly RecordChanges[], at: number, by: LedgerActor): ((doc: Y.Doc) => void) | undefined;
}

/** Picks the rules of a document by its name; undefined for documents synced as they are. */
export type DocRulesFor = (docName: string) => DocRules | undefined;
