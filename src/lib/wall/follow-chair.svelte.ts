/**
 * Follow the chair: while a meeting of the mission runs, the screen shows the view and the record
 * the chair has in focus (the server's rotation); otherwise, or when a laptop chooses not to
 * follow, the screen's own playlist rotation. Keys (next, previous, pause) act on whichever is
 * driving: the chair's own keys drive the meeting; anyone else's are refused with a word.
 * Changes worth hearing (paused, resumed, the chair handed over) go to `announcement` for a
 * polite live region (WCAG 2.2.2: pausing is announced).
 */
import { wallViewLabels, type MeetingState, type RecordFocus, type WallView } from '../protocol/meeting.ts';
import type { MeetingLink } from './meeting-link.svelte.ts';
import type { PlaylistRotation } from './playlist-rotation.svelte.ts';

export type FollowChairOptions = {
	/** The principal looking at this screen (undefined on a wall): the chair's keys drive the meeting. */
	selfId?: string;
	now?: () => number;
};

export class FollowChair {
	#link: MeetingLink;
	#rotation: PlaylistRotation;
	#selfId: string | undefined;
	#now: () => number;
	#following = $state(true);
	#announcement = $state('');
	/** Local time the current meeting state arrived: the countdown runs from here (no clock skew). */
	#receivedAt = $state(0);

	constructor(link: MeetingLink, rotation: PlaylistRotation, options: FollowChairOptions = {}) {
		this.#link = link;
		this.#rotation = rotation;
		this.#selfId = options.selfId;
		this.#now = options.now ?? Date.now;
	}

	get meeting(): MeetingState | null {
		return this.#link.meeting;
	}

	get driving(): 'chair' | 'playlist' {
		return this.#link.meeting && this.#following ? 'chair' : 'playlist';
	}

	get following(): boolean {
		return this.#following;
	}

	/** This screen belongs to the chair. */
	get isChair(): boolean {
		return this.#selfId !== undefined && this.#link.meeting?.chair.id === this.#selfId;
	}

	get view(): WallView {
		const meeting = this.#chairState();
		return meeting ? meeting.view : this.#rotation.view;
	}

	get focus(): RecordFocus | null {
		return this.#chairState()?.focus ?? null;
	}

	get paused(): boolean {
		const meeting = this.#chairState();
		return meeting ? meeting.paused : this.#rotation.paused;
	}

	get index(): number {
		return this.#chairState()?.index ?? this.#rotation.index;
	}

	get items() {
		return this.#chairState()?.playlist ?? this.#rotation.items;
	}

	get announcement(): string {
		return this.#announcement;
	}

	/** Whole seconds before the next view, at `now`; undefined while paused. */
	secondsLeft(now: number): number | undefined {
		const meeting = this.#chairState();
		if (!meeting) return this.#rotation.secondsLeft(now);
		if (meeting.paused) return undefined;
		return Math.max(0, Math.ceil((this.#receivedAt + meeting.dwellMs - now) / 1000));
	}

	setFollowing(following: boolean): void {
		if (this.#following === following) return;
		this.#following = following;
		if (following && this.#link.meeting) {
			this.#rotation.stop();
			this.#say(`Following the chair, ${this.#link.meeting.chair.name}.`);
		} else {
			this.#rotation.start();
			if (this.#link.meeting) this.#say('Not following the chair: this screen shows its own rotation.');
		}
	}

	next(): void {
		this.#drive(() => void this.#link.next(), () => this.#rotation.next());
	}

	prev(): void {
		this.#drive(() => void this.#link.prev(), () => this.#rotation.prev());
	}

	togglePause(): void {
		const paused = this.paused;
		this.#drive(
			() => void this.#link.pause(!paused),
			() => {
				this.#rotation.toggle();
				this.#say(this.#rotation.paused ? `Rotation paused on ${wallViewLabels[this.#rotation.view]}. Press Space to resume.` : 'Rotation resumed.');
			}
		);
	}

	/** The meeting link's callback: a new state arrived (or the meeting ended). */
	onMeeting(next: MeetingState | null, previous: MeetingState | null): void {
		this.#receivedAt = this.#now();
		if (!this.#following) return;
		if (next && !previous) {
			this.#rotation.stop();
			this.#say(`Meeting started: ${next.title}. This screen follows the chair, ${next.chair.name}.`);
		} else if (!next && previous) {
			this.#rotation.start();
			this.#say('The meeting ended. This screen is back on its own rotation.');
		} else if (next && previous) {
			if (next.chair.id !== previous.chair.id) this.#say(`${next.chair.name} now has the chair.`);
			else if (next.paused !== previous.paused) this.#say(next.paused ? `Rotation paused by the chair on ${wallViewLabels[next.view]}.` : 'The chair resumed the rotation.');
		}
	}

	#chairState(): MeetingState | null {
		return this.#following ? this.#link.meeting : null;
	}

	#drive(asChair: () => void, own: () => void): void {
		const meeting = this.#chairState();
		if (!meeting) return own();
		if (this.isChair) return asChair();
		this.#say(`The chair, ${meeting.chair.name}, is driving this screen.`);
	}

	#say(text: string): void {
		// The same words twice would not be read again: vary them invisibly.
		this.#announcement = this.#announcement === text ? `${text}\u00a0` : text;
	}
}
