import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRecord, deleteRecord } from '#lib/board/board-doc.ts';
import { registerMap } from '#lib/board/layout.ts';
import { readBoard } from '#lib/board/read.ts';
import { listIn } from '../workspace/board-records.ts';
import { answerReading, contentsOf, decodePastRegisters, encodePastRegisters, listingOf, readPastRegisters } from './past-registers.ts';

const owner = { name: 'Ann' };

/** A board with live, archived and malformed records across registers. */
function board(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		createRecord(doc, 'dependencies', { title: 'Skills data', providerDepartment: 'dfe', receiverDepartment: 'dwp', providerOwner: owner, receiverOwner: owner, deliverable: 'Monthly data', neededBy: '2027-03-01', forecast: '2027-02-01', rating: 'amber' }, owner);
		const gone = createRecord(doc, 'actions', { text: 'Draft the agreement', owner, due: '2027-01-15' }, owner);
		deleteRecord(doc, 'actions', gone.id, owner);
		createRecord(doc, 'actions', { text: 'Sign it', owner, due: '2027-02-15' }, owner);
		createRecord(doc, 'decisions', { text: 'Share monthly', decidedOn: '2026-11-12', forum: 'Missions Board', decisionMakers: [{ name: 'PM' }] }, owner);
		// Written by a buggy script: kept, shown as invalid, never hiding the rest.
		const bad = new Y.Map<unknown>();
		registerMap(doc, 'blockers').set('broken', bad);
		bad.set('title', 42);
	});
	return doc;
}

/** Plain JSON, as an API answer carries it. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('past registers (the reading kept at a meeting moment)', () => {
	it('answers every register, with and without archived records, as listing the document does', () => {
		expect.hasAssertions();
		const doc = board();
		const registers = decodePastRegisters(encodePastRegisters(readPastRegisters(doc, 'b1')))!;
		for (const register of ['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions'] as const) {
			for (const includeArchived of [false, true]) {
				expect(listingOf(registers, register, { includeArchived }), `${register} ${includeArchived}`).toEqual(asJson(listIn(doc, 'b1', register, { includeArchived })));
			}
		}
		expect(registers.actions.records).toHaveLength(2);
		expect(registers.blockers.invalid.map((bad) => bad.id)).toEqual(['broken']);
	});

	it('gives the board contents the counts and the diff read, as reading the document does', () => {
		expect.hasAssertions();
		const doc = board();
		const registers = decodePastRegisters(encodePastRegisters(readPastRegisters(doc, 'b1')))!;
		for (const includeArchived of [false, true]) {
			const fromDoc = readBoard(doc, { includeArchived });
			const fromReading = contentsOf(registers, { includeArchived });
			for (const register of ['dependencies', 'blockers', 'actions', 'decisions', 'risks', 'assumptions'] as const) {
				const byId = (results: Array<{ id: string }>) => [...results].sort((a, b) => a.id.localeCompare(b.id));
				expect(byId(fromReading[register]), `${register} ${includeArchived}`).toEqual(asJson(byId(fromDoc[register])));
			}
		}
	});

	it('refuses what is not a reading of this version, without throwing', () => {
		expect.hasAssertions();
		expect(decodePastRegisters(new Uint8Array([1, 2, 3]))).toBeUndefined();
		expect(decodePastRegisters(new Uint8Array())).toBeUndefined();
		const reading = encodePastRegisters(readPastRegisters(board(), 'b1'));
		expect(decodePastRegisters(reading.subarray(0, reading.byteLength - 10))).toBeUndefined();
	});

	it('is made in the worker from what rebuilds the board, and reports an update it cannot apply', () => {
		expect.hasAssertions();
		const doc = board();
		const made = answerReading({ id: 7, kind: 'reading', boardId: 'b1', updates: [Y.encodeStateAsUpdate(doc)], encoding: 'gzip' });
		expect(made.answer.id).toBe(7);
		if (!('reading' in made.answer)) throw new Error('no reading');
		expect(decodePastRegisters(made.answer.reading)).toEqual(asJson(readPastRegisters(doc, 'b1')));
		const plain = answerReading({ id: 9, kind: 'reading', boardId: 'b1', updates: [Y.encodeStateAsUpdate(doc)], encoding: 'json' });
		if (!('reading' in plain.answer)) throw new Error('no reading');
		expect(JSON.parse(new TextDecoder().decode(plain.answer.reading))).toEqual(asJson(readPastRegisters(doc, 'b1')));
		const broken = answerReading({ id: 8, kind: 'reading', boardId: 'b1', updates: [new Uint8Array([255, 255, 255, 255])], encoding: 'json' });
		expect('error' in broken.answer).toBe(true);
	});
});
