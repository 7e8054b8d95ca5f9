/**
 * The wall's side of "Since the last meeting": the mission's boards as they stood when the last
 * meeting ended, asked of the server (`GET /api/missions/:id/since`) the first time the view is
 * shown, and again when a meeting starts or ends (the meeting compared with changes), every
 * `refreshMs` (the week-long window moves on) and, after a failure, with jittered back-off. The
 * comparison with the live boards runs on the wall (`missionChanges`), so it follows every edit.
 */
import type { BoardReading } from '../board/diff.ts';
import { sinceBaseline, type MeetingState, type SinceMark } from '../protocol/meeting.ts';
import { backoffDelay } from './backoff.ts';
import { baselineReadings } from './since-changes.ts';

export const sinceFeedDefaults = {
	/** Asked again this often while shown (a week-long window moves on; a meeting may have ended unseen). */
	refreshMs: 15 * 60_000
} as const;

export type SinceFeedOptions = {
	missionId: string;
	/** A wall-display or API token; without one the browser's cookie is sent. */
	token?: string;
};

export type SinceState =
	| { status: 'idle' | 'loading' }
	| { status: 'failed'; message: string }
	| { status: 'ready'; since: SinceMark; from: number; readings: ReadonlyMap<string, BoardReading>; notes: { boardId: string; note: string }[] };

export class SinceFeed {
	#state = $state.raw<SinceState>({ status: 'idle' });
	/** The last good answer, kept on screen while a new one is asked for or fails. */
	#last = $state.raw<Extract<SinceState, { status: 'ready' }> | null>(null);
	#options: SinceFeedOptions;
	#forum: string | undefined;
	#wanted = false;
	#attempts = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#asking = 0;
	#destroyed = false;

	constructor(options: SinceFeedOptions) {
		this.#options = options;
	}

	/** What the view shows: the latest answer, else where the first one stands. */
	get state(): SinceState {
		return this.#last ?? this.#state;
	}

	/** How the latest request stands: `failed` while an older answer is still shown means it may be out of date (the view says so). */
	get attempt(): SinceState {
		return this.#state;
	}

	/** The view is (or is about to be) shown: ask for the baseline if nobody has yet. */
	ensure(): void {
		if (this.#wanted || this.#destroyed) return;
		this.#wanted = true;
		void this.#load();
	}

	/** The mission's meeting changed: compare with the last meeting of the running one's forum, else with the last meeting of any. */
	onMeeting(next: MeetingState | null, previous: MeetingState | null): void {
		const forum = next?.forum;
		const changed = forum !== this.#forum || (previous !== null && next?.meetingId !== previous.meetingId);
		this.#forum = forum;
		if (changed && this.#wanted) void this.#load();
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#timer);
	}

	async #load(): Promise<void> {
		clearTimeout(this.#timer);
		const asking = ++this.#asking;
		this.#state = { status: 'loading' };
		let next: SinceState;
		try {
			const query = this.#forum ? `?forum=${encodeURIComponent(this.#forum)}` : '';
			const response = await fetch(`/api/missions/${encodeURIComponent(this.#options.missionId)}/since${query}`, {
				headers: this.#options.token ? { authorization: `Bearer ${this.#options.token}` } : {},
				cache: 'no-store'
			});
			const body: unknown = await response.json().catch(() => undefined);
			if (!response.ok) {
				const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
				throw new Error(message ?? `the server answered ${response.status}`);
			}
			const baseline = sinceBaseline.parse(body);
			next = {
				status: 'ready',
				since: baseline.since,
				from: baseline.from,
				readings: baselineReadings(baseline),
				notes: baseline.boards.flatMap((board) => (board.state === null ? [{ boardId: board.boardId, note: board.note ?? 'its history at that moment is not kept' }] : []))
			};
		} catch (error) {
			next = { status: 'failed', message: error instanceof Error ? error.message : 'the server could not be reached' };
		}
		// A newer request (a meeting started or ended meanwhile) wins.
		if (this.#destroyed || asking !== this.#asking) return;
		this.#state = next;
		if (next.status === 'ready') {
			this.#last = next;
			this.#attempts = 0;
		}
		const delay = next.status === 'ready' ? sinceFeedDefaults.refreshMs : backoffDelay(this.#attempts++);
		this.#timer = setTimeout(() => void this.#load(), delay);
	}
}
