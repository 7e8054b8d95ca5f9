/**
 * What the table's rows and cells read of the board around them: the clock for derived dates,
 * whether this person may edit, the write path, and who is editing which record. The live board
 * (`BoardLive`) is one; a still board is the other: the first screen the server renders into the
 * page's HTML, a picture of one moment that nobody can edit and nobody is editing.
 */
import { getContext, setContext } from 'svelte';
import { isoDateAt } from '../board/dates.ts';
import type { BoardLive } from './board-live.svelte.ts';
import type { PresencePeer } from './presence.svelte.ts';

export type BoardRows = Pick<BoardLive, 'readOnly' | 'today' | 'now' | 'write'> & {
	readonly presence: { editorsOf(recordId: string): PresencePeer[] };
};

const nobody: PresencePeer[] = [];

/**
 * The rows' board when they are a picture: no editors, dates as at `now`, controls as this person
 * would see them (`readOnly`), and nothing written (the picture is shown inert).
 */
export class StillBoard implements BoardRows {
	readonly readOnly: boolean;
	readonly now: number;
	readonly today: string;
	readonly presence: BoardRows['presence'] = { editorsOf: () => nobody };

	constructor(now: number, readOnly: boolean) {
		this.now = now;
		this.today = isoDateAt(now);
		this.readOnly = readOnly;
	}

	/** Nothing is written to a picture. */
	write(): undefined {
		return undefined;
	}
}

const contextKey = Symbol('board-rows');

export function setBoardRows(rows: BoardRows): BoardRows {
	return setContext(contextKey, rows);
}

export function getBoardRows(): BoardRows {
	const rows = getContext<BoardRows | undefined>(contextKey);
	if (!rows) throw new Error('getBoardRows() needs setBoardRows() (or setBoardLive()) in the board page');
	return rows;
}
