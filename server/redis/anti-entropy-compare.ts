/**
 * The heavy half of a full anti-entropy check, done on Yjs updates alone so it can run off the
 * event loop (`anti-entropy-worker.ts`): given everything the store holds for a document and what
 * the live document has (its state vector and its delete set, both cheap to take), it returns the
 * update holding exactly what the live document lacks (items past its state vector, deletions it
 * has not seen), or undefined when it lacks nothing. Applying that update on the loop costs what
 * is missing, not the whole document as applying the stored updates did.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** What the live document holds, taken on the event loop (no item is decoded or copied). */
export interface LiveSummary {
	/** `Y.encodeStateVector(doc)`. */
	stateVector: Uint8Array;
	/** `Y.encodeStateAsUpdate(doc, stateVector)`: no items, only the document's delete set. */
	deleteSet: Uint8Array;
}

export function summariseLive(doc: Y.Doc): LiveSummary {
	const stateVector = Y.encodeStateVector(doc);
	return { stateVector, deleteSet: Y.encodeStateAsUpdate(doc, stateVector) };
}

type Range = { clock: number; len: number };

/** The update with what `stored` has that `live` lacks, or undefined when it lacks nothing. */
export function missingFromLive(stored: readonly Uint8Array[], live: LiveSummary): Uint8Array | undefined {
	if (stored.length === 0) return undefined;
	const merged = stored.length === 1 ? stored[0]! : Y.mergeUpdates(stored as Uint8Array[]);
	// Items past the live state vector, and the stored document's whole delete set.
	const diff = Y.diffUpdate(merged, live.stateVector);
	const { structs, ds } = Y.decodeUpdate(diff);
	const missingDeletes = subtract(rangesOf(ds), rangesOf(Y.decodeUpdate(live.deleteSet).ds));
	if (structs.length === 0 && missingDeletes.size === 0) return undefined;
	// The diff's items followed by only the missing deletions (a V1 update ends with its delete set).
	const storedDeletes = encodeDeleteSet(rangesOf(ds));
	const itemsEnd = diff.length - storedDeletes.length;
	if (itemsEnd < 0 || !sameBytes(diff.subarray(itemsEnd), storedDeletes)) return diff;
	const missing = encodeDeleteSet(missingDeletes);
	const update = new Uint8Array(itemsEnd + missing.length);
	update.set(diff.subarray(0, itemsEnd));
	update.set(missing, itemsEnd);
	return update;
}

/** A decoded delete set's ranges per client, in the order they were read. */
function rangesOf(ds: { clients: Map<number, Array<{ clock: number; len: number }>> }): Map<number, Range[]> {
	const ranges = new Map<number, Range[]>();
	for (const [client, items] of ds.clients) ranges.set(client, items.map(({ clock, len }) => ({ clock, len })));
	return ranges;
}

/** The ranges of `from` not covered by `covered`, per client (clients with none left out). */
function subtract(from: Map<number, Range[]>, covered: Map<number, Range[]>): Map<number, Range[]> {
	const left = new Map<number, Range[]>();
	for (const [client, ranges] of from) {
		const cover = [...(covered.get(client) ?? [])].sort((a, b) => a.clock - b.clock);
		const out: Range[] = [];
		for (const range of [...ranges].sort((a, b) => a.clock - b.clock)) {
			let start = range.clock;
			const end = range.clock + range.len;
			for (const { clock, len } of overlapping(cover, start, end)) {
				if (clock > start) out.push({ clock: start, len: clock - start });
				start = Math.max(start, clock + len);
				if (start >= end) break;
			}
			if (start < end) out.push({ clock: start, len: end - start });
		}
		if (out.length > 0) left.set(client, out);
	}
	return left;
}

/** The ranges of a sorted list that overlap [start, end), found by binary search. */
function overlapping(sorted: readonly Range[], start: number, end: number): Range[] {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		const range = sorted[middle]!;
		if (range.clock + range.len <= start) low = middle + 1;
		else high = middle;
	}
	const found: Range[] = [];
	for (let at = low; at < sorted.length && sorted[at]!.clock < end; at++) found.push(sorted[at]!);
	return found;
}

/** A delete set in the V1 update encoding (as Yjs writes it): clients, then each one's ranges. */
function encodeDeleteSet(ranges: Map<number, Range[]>): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, ranges.size);
	for (const [client, list] of ranges) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, list.length);
		for (const { clock, len } of list) {
			encoding.writeVarUint(encoder, clock);
			encoding.writeVarUint(encoder, len);
		}
	}
	return encoding.toUint8Array(encoder);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
	return true;
}
