import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { createLogger } from '../log.ts';
import { createSqliteStore } from '../store/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { SavedEvidence, savedEvidenceCollection, type BoardExtract } from './saved-evidence.ts';

const boardId = 'board-1';
const docName = boardDocName(boardId);
const quietMs = 400;
const maxWaitMs = 1_000;

/** An extract whose one title says which seq the document was at when it was taken. */
const extractAt = (seq: number): BoardExtract => ({ dependencies: [], blockers: [], redDependencies: [], escalatedBlockers: [], forDecision: [], titles: [[`${boardId}:r`, `at ${seq}`]] });

describe('SavedEvidence: one extract per quiet spell', () => {
	let dataDir: string;
	let store: Store;
	let evidence: SavedEvidence;
	let extracts: number[];

	beforeEach(async () => {
		dataDir = await mkdtemp(join(tmpdir(), 'mc-saved-evidence-'));
		store = createSqliteStore({ dataDir });
		extracts = [];
		evidence = new SavedEvidence({
			store,
			log: createLogger('silent'),
			isLoaded: () => true,
			// The document "holds" every update stored so far: its extract names the newest seq.
			extractLoaded: async () => {
				const seq = (await store.history(docName, { limit: 1 }))[0]?.seq ?? 0;
				extracts.push(seq);
				return extractAt(seq);
			},
			debounceMs: quietMs,
			maxWaitMs
		});
	});

	afterEach(async () => {
		await evidence.close();
		await store.close();
		await rm(dataDir, { recursive: true, force: true });
	});

	/** Stores one update of the board's document and tells the hook, as the hub does after a batch. */
	async function storeBatch(): Promise<void> {
		const doc = new Y.Doc();
		doc.getMap('m').set('k', Math.random());
		const entries = [{ update: Y.encodeStateAsUpdate(doc), meta: { by: 'admin', at: Date.now() } }];
		await store.appendUpdates(docName, entries);
		evidence.hubHooks.onStore?.({ docName, entries, seconds: 0, announced: false });
	}

	const saved = async () => (await store.getRecord(savedEvidenceCollection, boardId)) as { seq: number; extract: BoardExtract } | undefined;

	it('two batches within the quiet interval make one extract that holds both', async () => {
		await storeBatch();
		await storeBatch();
		await expect.poll(saved).toMatchObject({ seq: 2, extract: extractAt(2) });
		// Well past another quiet interval: still the one extract.
		await new Promise((resolve) => setTimeout(resolve, quietMs * 2));
		expect(extracts).toEqual([2]);
	});

	it('a board that keeps changing is saved every maxWaitMs, and its last change once it is quiet', async () => {
		const started = Date.now();
		let batches = 0;
		while (Date.now() - started < maxWaitMs * 2.2) {
			await storeBatch();
			batches++;
			await new Promise((resolve) => setTimeout(resolve, quietMs / 10));
		}
		// While changing: not once per quiet interval, but at least once per maxWaitMs.
		expect(extracts.length).toBeGreaterThanOrEqual(1);
		expect(extracts.length).toBeLessThanOrEqual(3);
		await expect.poll(saved).toMatchObject({ seq: batches, extract: extractAt(batches) });
		expect(extracts.at(-1)).toBe(batches);
	});
});
