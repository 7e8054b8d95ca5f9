/**
 * The wall's side of the chair's "as at": while the running meeting has `asAt` set, the mission's
 * boards (those this wall may see) as they stood at that moment, asked of the server
 * (`GET /api/missions/:id/as-at`) each time the chair picks a moment, and again with jittered
 * back-off after a failure. The wall shows these records instead of the live ones until the chair
 * goes back to live. A past moment never changes: one answer per moment.
 */
import { missionAsAt, type MeetingState } from '../protocol/meeting.ts';
import { backoffDelay } from './backoff.ts';
import { readBoard, type BoardContents } from '../board/read.ts';
import { fromBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import { addBoardRecords, emptyMissionRecords, type MissionRecords } from './wall-data.ts';

export type AsAtFeedOptions = {
	missionId: string;
	/** A wall-display or API token; without one the browser's cookie is sent. */
	token?: string;
};

export type AsAtState =
	| { status: 'live' }
	| { status: 'loading'; at: number }
	| { status: 'failed'; at: number; message: string }
	| { status: 'ready'; at: number; records: MissionRecords; notes: { boardId: string; note: string }[] };

export class AsAtFeed {
	#state = $state.raw<AsAtState>({ status: 'live' });
	#options: AsAtFeedOptions;
	#attempts = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;

	constructor(options: AsAtFeedOptions) {
		this.#options = options;
	}

	/** `live` unless the chair has set a moment; then that moment's records once they arrive. */
	get state(): AsAtState {
		return this.#state;
	}

	/** The mission's meeting changed: follow its `asAt` (none, or no meeting: live). */
	onMeeting(next: MeetingState | null): void {
		const at = next?.asAt ?? null;
		const current = this.#state.status === 'live' ? null : this.#state.at;
		if (at === current || this.#destroyed) return;
		clearTimeout(this.#timer);
		this.#attempts = 0;
		if (at === null) this.#state = { status: 'live' };
		else void this.#load(at);
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#timer);
	}

	async #load(at: number): Promise<void> {
		this.#state = { status: 'loading', at };
		let next: AsAtState;
		try {
			const response = await fetch(`/api/missions/${encodeURIComponent(this.#options.missionId)}/as-at?at=${encodeURIComponent(new Date(at).toISOString())}`, {
				headers: this.#options.token ? { authorization: `Bearer ${this.#options.token}` } : {},
				cache: 'no-store'
			});
			const body: unknown = await response.json().catch(() => undefined);
			if (!response.ok) {
				const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
				throw new Error(message ?? `the server answered ${response.status}`);
			}
			const answer = missionAsAt.parse(body);
			const records = emptyMissionRecords();
			const notes: { boardId: string; note: string }[] = [];
			for (const board of answer.boards) {
				const contents = board.state === null ? null : contentsOf(board.state);
				if (contents) addBoardRecords(records, board.boardId, contents);
				else notes.push({ boardId: board.boardId, note: board.note ?? 'its history at that moment is not kept' });
			}
			next = { status: 'ready', at, records, notes };
		} catch (error) {
			next = { status: 'failed', at, message: error instanceof Error ? error.message : 'the server could not be reached' };
		}
		// The chair moved on (another moment, or back to live) meanwhile: that answer wins.
		if (this.#destroyed || this.#state.status !== 'loading' || this.#state.at !== at) return;
		this.#state = next;
		if (next.status === 'failed') this.#timer = setTimeout(() => void this.#load(at), backoffDelay(this.#attempts++));
	}
}

/** A board's records from its state as at the moment (a base64 Yjs update), archived ones included. */
function contentsOf(state: string): BoardContents {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, fromBase64(state));
		return readBoard(doc, { includeArchived: true });
	} finally {
		doc.destroy();
	}
}
