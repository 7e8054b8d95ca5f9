import { describe, expect, it } from 'vitest';
import { StillBoard } from './board-rows.ts';

describe('StillBoard (the rows of the first screen the server renders)', () => {
	it('dates rows as at its moment on UK time, shows nobody editing and writes nothing', () => {
		// 23:30 UTC on 30 June is already 1 July in London (summer time).
		const still = new StillBoard(Date.UTC(2026, 5, 30, 23, 30), false);
		expect(still.today).toBe('2026-07-01');
		expect(still.readOnly).toBe(false);
		expect(still.presence.editorsOf('any-record')).toEqual([]);
		expect(still.write()).toBeUndefined();
		expect(new StillBoard(0, true).readOnly).toBe(true);
	});
});
