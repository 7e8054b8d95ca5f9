/**
 * A board as it stood at a past moment, read through the JSON API (`GET /api/boards/:id/:register?asAt=`,
 * every register at once) rather than the live socket: nothing here can write, and nothing live can
 * leak into the picture. Each answer is validated with the register's record schema.
 */
import { z } from 'zod';
import { meetingRecord, type MeetingRecord } from '../protocol/meeting.ts';
import { registerSchemas, type RecordOf } from '../protocol/records.ts';
import { registerNames, type RegisterName } from '../protocol/registers.ts';
import { ApiReadError, getJson } from './api-read.ts';

export type PastRecords = { [R in RegisterName]: RecordOf<R>[] };

const invalidRecord = z.object({ id: z.string() });
const pageOf = <R extends RegisterName>(register: R) =>
	z.object({ asAt: z.string(), records: z.array(registerSchemas[register].record), invalid: z.array(invalidRecord) });
const meetingList = z.object({ meetings: z.array(meetingRecord) });

export class PastBoard {
	readonly boardId: string;
	/** The moment asked for, as epoch ms. */
	readonly at: number;
	#records = $state.raw<PastRecords | undefined>(undefined);
	/** Records stored then in a shape that does not validate (shown as a count, never hidden). */
	#invalid = $state(0);
	#error = $state<string | undefined>(undefined);
	#abort = new AbortController();

	constructor(boardId: string, at: number) {
		this.boardId = boardId;
		this.at = at;
		void this.#load();
	}

	get records(): PastRecords | undefined {
		return this.#records;
	}

	get invalid(): number {
		return this.#invalid;
	}

	get error(): string | undefined {
		return this.#error;
	}

	async #load(): Promise<void> {
		const asAt = encodeURIComponent(new Date(this.at).toISOString());
		const base = `/api/boards/${encodeURIComponent(this.boardId)}`;
		try {
			const pages = await Promise.all(registerNames.map((register) => getJson(`${base}/${register}?asAt=${asAt}&archived=true`, pageOf(register), this.#abort.signal)));
			const records = Object.fromEntries(registerNames.map((register, i) => [register, pages[i]!.records])) as PastRecords;
			this.#invalid = pages.reduce((sum, page) => sum + page.invalid.length, 0);
			this.#records = records;
		} catch (error) {
			if (this.#abort.signal.aborted) return;
			if (!(error instanceof ApiReadError)) throw error;
			this.#error = error.message;
		}
	}

	destroy(): void {
		this.#abort.abort();
	}
}

/** The mission's meetings (newest first), for "as at the end of a meeting". */
export async function missionMeetings(missionId: string): Promise<MeetingRecord[]> {
	return (await getJson(`/api/meetings?missionId=${encodeURIComponent(missionId)}`, meetingList)).meetings;
}
