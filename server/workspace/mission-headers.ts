/**
 * Builds the mission header (src/lib/board/mission-header.ts) for the home page and the mission
 * page from the boards as they stand now and as they stood at the start of the same day last week
 * (the accountable record: BoardHistory.contentsAsAt). The week-ago reading of a board only changes
 * when the day turns, so it is kept per board until then; the reading of now comes from the
 * loaded document every time, so the header follows every edit.
 */
import { readBoard } from '#lib/board/read.ts';
import { addDays, isoDateAt, msPerDay } from '#lib/board/dates.ts';
import { diffBoards, readingOf, type BoardReading } from '#lib/board/diff.ts';
import { missionHeader, type HeaderBoard, type MissionHeader } from '#lib/board/mission-header.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { MissionView } from '#lib/protocol/workspace.ts';
import * as Y from 'yjs';
import type { Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { BoardHistory } from '../ledger/board-history.ts';
import type { Workspace } from './workspace.ts';

export const missionHeaderWindow = {
	/** "Last week": the boards as they stood at the start (UTC) of the day this many days ago. */
	days: 7
} as const;

type WeekAgo = { from: number; reading: BoardReading };

export class MissionHeaders {
	#hub: DocHub;
	#history: BoardHistory;
	#workspace: Workspace;
	#now: () => number;
	/** Board id → its reading at `from`; replaced when the day turns, dropped with the board. */
	#weekAgo = new Map<string, WeekAgo>();

	constructor(options: { hub: DocHub; history: BoardHistory; workspace: Workspace; now?: () => number }) {
		this.#hub = options.hub;
		this.#history = options.history;
		this.#workspace = options.workspace;
		this.#now = options.now ?? Date.now;
	}

	/** The header of each mission, over the boards of it the principal can see (archived boards left out). */
	async forMissions(principal: Principal, missions: readonly MissionView[]): Promise<Map<string, MissionHeader>> {
		const now = this.#now();
		const today = isoDateAt(now);
		const since = addDays(today, -missionHeaderWindow.days);
		const from = Date.parse(`${since}T00:00:00Z`);
		const settings = await this.#workspace.settings();
		const headers = new Map<string, MissionHeader>();
		for (const mission of missions) {
			const boards: HeaderBoard[] = await Promise.all(
				mission.boards
					.filter((board) => !board.archived)
					.map(async (board) => {
						const [current, weekAgo] = await Promise.all([this.#readNow(board.id), this.#readWeekAgo(principal, board.id, board.createdAt, from)]);
						return { id: board.id, title: board.title, now: current, weekAgo, changes: diffBoards(weekAgo, current, { fromDay: since, toDay: today }) };
					})
			);
			headers.set(mission.id, missionHeader(boards, { today, now, since, scale: settings.confidenceScale, staleAfterDays: settings.staleAfterDays }));
		}
		return headers;
	}

	#readNow(boardId: string): Promise<BoardReading> {
		return this.#hub.withDoc(boardDocName(boardId), (shared) => readingOf(readBoard(shared.doc, { includeArchived: true })));
	}

	async #readWeekAgo(principal: Principal, boardId: string, createdAt: number, from: number): Promise<BoardReading> {
		const kept = this.#weekAgo.get(boardId);
		if (kept && kept.from === from) return kept.reading;
		// A board younger than the window was empty then; contentsAsAt checks the principal may read it.
		const reading = createdAt > from ? readingOf(readBoard(new Y.Doc(), { includeArchived: true })) : readingOf(await this.#history.contentsAsAt(principal, boardId, from, { includeArchived: true }));
		this.#weekAgo.set(boardId, { from, reading });
		// Readings of other days are never asked for again.
		for (const [id, entry] of this.#weekAgo) if (entry.from < from - msPerDay) this.#weekAgo.delete(id);
		return reading;
	}
}
