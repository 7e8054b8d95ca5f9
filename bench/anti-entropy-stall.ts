/**
 * The longest event-loop stall during one full anti-entropy check of a 5,000-record board
 * (10 fields each, then 20,000 field edits: a large delete set, as board-shaped edits make), both
 * ways: applying the whole stored document to the live one on the loop (before session 4), and
 * comparing on the worker thread and applying only what is missing (`server/redis/anti-entropy.ts`).
 * The live document lacks the last 5 edits. Two figures: the longest synchronous block on the loop
 * (timed around each piece of loop work), and the longest stall `monitorEventLoopDelay` saw, which
 * on a loaded machine also holds the time the process was not scheduled at all.
 *
 *   node bench/anti-entropy-stall.ts [--rounds 3]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { summariseLive } from '../server/redis/anti-entropy-compare.ts';
import type { CompareAnswer } from '../server/redis/anti-entropy-worker.ts';

const board = { records: 5_000, fields: 10, edits: 20_000, missed: 5 } as const;

function fixture(): { stored: Uint8Array; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => updates.push(update));
	const records = doc.getMap<Y.Map<string>>('records');
	doc.transact(() => {
		for (let index = 0; index < board.records; index++) {
			const record = new Y.Map<string>();
			for (let field = 0; field < board.fields; field++) record.set(`f${field}`, `field ${field} of record ${index}, some words of text`);
			records.set(`r${index}`, record);
		}
	});
	for (let edit = 0; edit < board.edits; edit++) records.get(`r${(edit * 7919) % board.records}`)!.set(`f${edit % board.fields}`, `edit ${edit}`);
	return { stored: Y.encodeStateAsUpdate(doc), updates };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The longest synchronous piece of loop work, timed by `block` around each one. */
let longestBlockMs = 0;
function block<T>(work: () => T): T {
	const started = performance.now();
	try {
		return work();
	} finally {
		longestBlockMs = Math.max(longestBlockMs, performance.now() - started);
	}
}

async function stallOf(run: () => Promise<void>): Promise<{ maxStallMs: number; blockMs: number; wallMs: number }> {
	const histogram = monitorEventLoopDelay({ resolution: 1 });
	histogram.enable();
	await sleep(20);
	longestBlockMs = 0;
	const started = performance.now();
	await run();
	const wallMs = performance.now() - started;
	await sleep(20);
	histogram.disable();
	return { maxStallMs: histogram.max / 1e6, blockMs: longestBlockMs, wallMs };
}

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const { stored, updates } = fixture();
const live = () => {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.mergeUpdates(updates.slice(0, -board.missed)));
	return doc;
};
console.log(`state ${(stored.length / 1_048_576).toFixed(2)} MB, ${updates.length} updates; ${rounds} rounds`);
const worker = new Worker(new URL('../server/redis/anti-entropy-worker.ts', import.meta.url));
let nextId = 1;
const compare = (live: Y.Doc) =>
	new Promise<Uint8Array | undefined>((resolve, reject) => {
		const id = nextId++;
		const onAnswer = (answer: CompareAnswer) => {
			if (answer.id !== id) return;
			worker.off('message', onAnswer);
			if ('error' in answer) reject(new Error(answer.error));
			else resolve(answer.missing);
		};
		worker.on('message', onAnswer);
		worker.postMessage({ id, stored: [stored], live: block(() => summariseLive(live)) });
	});
await compare(live()); // the thread's start-up, once per process
for (let round = 1; round <= rounds; round++) {
	const before = live();
	const old = await stallOf(async () => block(() => before.transact(() => Y.applyUpdate(before, stored), 'store')));
	const after = live();
	const now = await stallOf(async () => {
		const missing = await compare(after);
		if (missing) block(() => after.transact(() => Y.applyUpdate(after, missing), 'store'));
	});
	const same = Buffer.from(Y.encodeStateAsUpdate(before)).equals(Buffer.from(Y.encodeStateAsUpdate(after)));
	console.log(
		`round ${round}: longest block on the loop: whole document ${old.blockMs.toFixed(1)} ms, worker compare ${now.blockMs.toFixed(1)} ms; ` +
			`longest event-loop delay: ${old.maxStallMs.toFixed(0)} ms vs ${now.maxStallMs.toFixed(0)} ms; check took ${old.wallMs.toFixed(0)} vs ${now.wallMs.toFixed(0)} ms in all; same result: ${same}`
	);
}
await worker.terminate();
