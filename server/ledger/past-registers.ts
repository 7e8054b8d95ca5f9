/**
 * A board's six registers as the API lists them (archived records included), read once from a past
 * document and kept as a plain reading: gzipped JSON. A reading kept for a meeting's start or end
 * answers "the board as at that meeting" without replaying the board's Yjs state (hundreds of
 * milliseconds for a 5,000-record board; the reading is tens). Written by the Yjs worker thread
 * (`answerReading`), read by `BoardHistory`.
 */
import * as Y from 'yjs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { BoardContents } from '#lib/board/read.ts';
import { registerNames, type RegisterName } from '#lib/protocol/registers.ts';
import type { ReadResult } from '#lib/protocol/records.ts';
import { listIn, type InvalidRecordView, type RecordView } from '../workspace/board-records.ts';

/** Each register's records (archived ones included, in ref order) and the ones that fail their schema. */
export type PastRegisters = { [R in RegisterName]: { records: RecordView<R>[]; invalid: InvalidRecordView[] } };

/** The format written into a reading; a reading of another version is not used. */
export const pastRegistersVersion = 1;

export const pastRegistersDefaults = {
	/** zlib's fastest level: a 4 MB reading gzips in ~15 ms to ~340 KB. */
	gzipLevel: 1
} as const;

/** Every register of `doc`, listed as the API lists them with `archived=true`. */
export function readPastRegisters(doc: Y.Doc, boardId: string): PastRegisters {
	const registers: Partial<Record<RegisterName, unknown>> = {};
	for (const register of registerNames) registers[register] = listIn(doc, boardId, register, { includeArchived: true });
	return registers as PastRegisters;
}

export function encodePastRegisters(registers: PastRegisters): Uint8Array {
	return gzipSync(JSON.stringify({ v: pastRegistersVersion, registers }), { level: pastRegistersDefaults.gzipLevel });
}

/** The registers of a reading, or undefined when it is not one this version wrote (or is damaged). */
export function decodePastRegisters(bytes: Uint8Array): PastRegisters | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(gunzipSync(bytes).toString('utf8'));
	} catch {
		return undefined;
	}
	if (!parsed || typeof parsed !== 'object' || (parsed as { v?: unknown }).v !== pastRegistersVersion) return undefined;
	const registers = (parsed as { registers?: unknown }).registers;
	if (!registers || typeof registers !== 'object') return undefined;
	for (const register of registerNames) {
		const listing = (registers as Record<string, unknown>)[register] as { records?: unknown; invalid?: unknown } | undefined;
		if (!listing || !Array.isArray(listing.records) || !Array.isArray(listing.invalid)) return undefined;
	}
	return registers as PastRegisters;
}

/** One register as `listIn` gives it: archived records left out unless asked for. */
export function listingOf<R extends RegisterName>(registers: PastRegisters, register: R, options: { includeArchived?: boolean } = {}): PastRegisters[R] {
	const listing = registers[register];
	if (options.includeArchived) return listing;
	return { records: listing.records.filter((record) => !record.archived), invalid: listing.invalid } as PastRegisters[R];
}

/** The registers as `readBoard` gives them (records without the API's `path`), for the board's counts and the diff. */
export function contentsOf(registers: PastRegisters, options: { includeArchived?: boolean } = {}): BoardContents {
	const contents: Partial<Record<RegisterName, ReadResult[]>> = {};
	for (const register of registerNames) {
		const { records, invalid } = listingOf(registers, register, options);
		const results: ReadResult[] = records.map(({ path: _path, ...record }) => ({ ok: true, id: record.id, record }) as ReadResult);
		for (const bad of invalid) results.push({ ok: false, id: bad.id, register, issues: bad.issues } as ReadResult);
		contents[register] = results;
	}
	return contents as BoardContents;
}

export interface ReadingRequest {
	id: number;
	kind: 'reading';
	boardId: string;
	/** What rebuilds the board at the moment (`Store.loadAsAt`): a checkpoint first, then updates. */
	updates: Uint8Array[];
	/** `gzip`: a reading to keep (`encodePastRegisters`); `json`: the registers as JSON text, to read at once. */
	encoding: 'gzip' | 'json';
}

export type ReadingAnswer = { id: number; reading: Uint8Array } | { id: number; error: string };

/** Rebuilds the board from `updates` and reads its registers (in the Yjs worker thread). */
export function answerReading({ id, boardId, updates, encoding }: ReadingRequest): { answer: ReadingAnswer; transfer: ArrayBuffer[] } {
	const doc = new Y.Doc({ gc: true });
	try {
		doc.transact(() => {
			for (const update of updates) Y.applyUpdate(doc, update);
		});
		const registers = readPastRegisters(doc, boardId);
		// A copy of its own: a Buffer may share a pooled ArrayBuffer, which must not be moved.
		const reading = encoding === 'gzip' ? new Uint8Array(encodePastRegisters(registers)) : new TextEncoder().encode(JSON.stringify(registers));
		return { answer: { id, reading }, transfer: [reading.buffer as ArrayBuffer] };
	} catch (error) {
		return { answer: { id, error: error instanceof Error ? error.message : String(error) }, transfer: [] };
	} finally {
		doc.destroy();
	}
}
