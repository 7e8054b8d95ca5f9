/**
 * The hub's typed lifecycle seam. Persistence metrics, the Redis relay, access checks and rate
 * limits plug in here instead of into the hub's code.
 */
import type * as Y from 'yjs';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/principal.ts';
import type { LedgerEntry } from '#lib/protocol/ledger.ts';
import type { RejectReason } from '../metrics.ts';
import type { Announcement, AppendEntry } from '../store/store.ts';
import type { SharedDoc } from './shared-doc.ts';
import { AppError } from '../errors.ts';

export interface ConnectionRequest {
	docName: string;
	request: IncomingMessage;
	url: URL;
}

export interface Admission {
	principal: Principal;
	/** A read-only peer receives everything; its writes are dropped and counted. */
	readOnly: boolean;
}

/** Thrown by `onAuthenticate` to refuse an upgrade with an HTTP status before any websocket exists. */
export class UpgradeRejection extends AppError {
	declare readonly code: 'unauthenticated' | 'forbidden' | 'not_found' | 'rate_limited' | 'unavailable';
	/** The `mc_rejected_total` reason, when the code alone does not say it. */
	readonly reason: RejectReason | undefined;
	constructor(code: UpgradeRejection['code'], message: string, reason?: RejectReason) {
		super(code, message);
		this.name = 'UpgradeRejection';
		this.reason = reason;
	}
}

/** A document just loaded: hooks change it only through the `SharedDoc`'s methods (the hub stays its one writer). */
export interface LoadEvent {
	docName: string;
	shared: SharedDoc;
}

export interface StoreEvent {
	docName: string;
	entries: readonly AppendEntry[];
	seconds: number;
	/** The store published an `announce` hook's message for this batch in the same write. */
	announced: boolean;
}

export interface AnnounceEvent {
	docName: string;
	entries: readonly AppendEntry[];
}

export interface LedgerEvent {
	docName: string;
	entries: readonly LedgerEntry[];
	/**
	 * The document as it is when the batch is durable (it may already hold later changes): for a
	 * decision made synchronously inside the hook. Never kept: read it later through `withDoc`.
	 */
	doc: Y.Doc;
}

export interface AwarenessEvent {
	docName: string;
	/** A y-protocols awareness update (the states of the changed clients, null for departed ones). */
	update: Uint8Array;
}

export interface HubHooks {
	/** Decides who may open a document and whether they may write. Throw UpgradeRejection to refuse. */
	onAuthenticate?(request: ConnectionRequest): Promise<Admission>;
	/** After a document was loaded from the store, before any peer sees it. */
	onLoad?(event: LoadEvent): void | Promise<void>;
	/**
	 * Before a batch of updates is written: a message the store is to publish in the same write
	 * (the Redis relay's, when the store shares its Redis), or undefined. The first hook that
	 * answers is used; a batch whose write fails asks again for its retry.
	 */
	announce?(event: AnnounceEvent): Announcement | undefined;
	/** After a batch of updates was written to the store. */
	onStore?(event: StoreEvent): void;
	/**
	 * After a batch's ledger entries are durable and the batch has been sent to the peers (board
	 * documents only): who changed which record, and how. Runs for every accepted batch, so it is
	 * the rules' hot path: decide from the entries what, if anything, must be read (the
	 * notifications read nothing for most edits), and read only that. A hook that throws is logged;
	 * the others still run.
	 */
	onLedger?(event: LedgerEvent): void;
	/**
	 * After a coalesced batch of presence changes made by this instance's own peers (joins, moves,
	 * departures), with the encoded awareness update (the relay publishes it). Changes applied with
	 * origin 'redis' or timed out are not reported, so they are never republished.
	 */
	onAwareness?(event: AwarenessEvent): void;
	/** After a document was persisted and dropped from memory. */
	onUnload?(event: { docName: string }): void | Promise<void>;
}
