import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { deleteRecord } from './board-doc.ts';
import { cutFirstScreen, openFirstScreen } from './first-screen.ts';
import { fillLargeBoard, largeBoardDefaults } from './large-board.ts';
import { registerMap } from './layout.ts';
import { stampsRoot } from './protected.ts';
import { registerNames } from '../protocol/registers.ts';
import { readRecordMap } from './read.ts';
import { buildRefIndex } from './refs.ts';

function refsOf(doc: Y.Doc, ids: string[]): string[] {
	const refs = buildRefIndex(doc, 'dependencies');
	return ids.map((id) => {
		const result = readRecordMap('dependencies', id, registerMap(doc, 'dependencies').get(id), refs);
		if (!result.ok) throw new Error(`record ${id} does not read: ${JSON.stringify(result.issues)}`);
		return result.record.ref;
	});
}

describe('cutFirstScreen', () => {
	it('cuts the first rows in ref order, leaves archived ones out, and reads them as the whole board does', () => {
		const board = new Y.Doc();
		fillLargeBoard(board, 200);
		const dependencies = registerMap(board, 'dependencies');
		const byRef = new Map([...buildRefIndex(board, 'dependencies').byId].map(([id, info]) => [info.ref, id]));
		deleteRecord(board, 'dependencies', byRef.get('DEP-2')!, largeBoardDefaults.actor);
		board.getMap(stampsRoot).set(byRef.get('DEP-1')!, { updatedBy: { id: 'admin', name: 'Administrator' } });

		const screen = cutFirstScreen(board, 'dependencies', 5);
		expect(screen).toBeDefined();
		expect(screen!.total).toBe(dependencies.size);
		expect(screen!.shown).toBe(dependencies.size - 1);
		// Every register's count, as the live tabs show it (records in the register).
		for (const register of registerNames) expect(screen!.counts[register]).toBe(registerMap(board, register).size);
		expect(screen!.counts.blockers).toBeGreaterThan(0);
		// The cut-out travels in the page's HTML as base64, not as a list of numbers.
		expect(screen!.update).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
		const cut = openFirstScreen(screen!);
		expect(registerMap(cut, 'dependencies').size).toBe(5);
		expect(refsOf(cut, screen!.ids)).toEqual(['DEP-1', 'DEP-3', 'DEP-4', 'DEP-5', 'DEP-6']);
		expect(refsOf(cut, screen!.ids)).toEqual(refsOf(board, screen!.ids));
		// Each record reads the same from the cut-out as from the board, its server stamp included.
		for (const id of screen!.ids) {
			const whole = readRecordMap('dependencies', id, dependencies.get(id), buildRefIndex(board, 'dependencies'));
			const part = readRecordMap('dependencies', id, registerMap(cut, 'dependencies').get(id), buildRefIndex(cut, 'dependencies'));
			expect(part).toEqual(whole);
		}
		expect(cut.getMap(stampsRoot).get(byRef.get('DEP-1')!)).toEqual({ updatedBy: { id: 'admin', name: 'Administrator' } });
	});

	it('cuts an empty screen out of an empty register', () => {
		const screen = cutFirstScreen(new Y.Doc(), 'risks');
		expect(screen).toMatchObject({ ids: [], shown: 0, total: 0, counts: { dependencies: 0, risks: 0 } });
	});
});
