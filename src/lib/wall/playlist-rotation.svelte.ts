/**
 * A wall's own rotation through its playlist when no meeting is driving it: each view stays for
 * its interval, then the next; pause, next and previous from the keyboard. The timer is the only
 * writer of the position besides the person pressing keys.
 */
import type { PlaylistItem, WallView } from '../protocol/meeting.ts';

export class PlaylistRotation {
	#items = $state.raw<readonly PlaylistItem[]>([]);
	#index = $state(0);
	#paused = $state(false);
	/** When the current view will give way (epoch ms); undefined while paused. */
	#deadline = $state<number | undefined>(undefined);
	/** Time left on the current view when it was paused. */
	#remainingMs = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#now: () => number;
	#running = false;

	constructor(items: readonly PlaylistItem[], options: { now?: () => number } = {}) {
		this.#now = options.now ?? Date.now;
		this.#items = items.length > 0 ? items : [{ view: 'summary', seconds: 20 }];
	}

	get items(): readonly PlaylistItem[] {
		return this.#items;
	}

	get index(): number {
		return this.#index;
	}

	get view(): WallView {
		return this.#items[this.#index]!.view;
	}

	get paused(): boolean {
		return this.#paused;
	}

	/** Whole seconds until the next view, at `now`; undefined while paused. */
	secondsLeft(now: number): number | undefined {
		return this.#deadline === undefined ? undefined : Math.max(0, Math.ceil((this.#deadline - now) / 1000));
	}

	/** Starts the clock (the page is showing); `stop` halts it without counting as a pause. */
	start(): void {
		this.#running = true;
		this.#schedule(this.#currentMs());
	}

	stop(): void {
		this.#running = false;
		clearTimeout(this.#timer);
		this.#deadline = undefined;
	}

	next(): void {
		this.#go(this.#index + 1);
	}

	prev(): void {
		this.#go(this.#index - 1);
	}

	/** Shows a given view (the first playlist entry with it), keeping the pause state. */
	show(view: WallView): void {
		const found = this.#items.findIndex((item) => item.view === view);
		if (found >= 0) this.#go(found);
	}

	pause(): void {
		if (this.#paused) return;
		this.#paused = true;
		this.#remainingMs = this.#deadline === undefined ? this.#currentMs() : Math.max(0, this.#deadline - this.#now());
		clearTimeout(this.#timer);
		this.#deadline = undefined;
	}

	resume(): void {
		if (!this.#paused) return;
		this.#paused = false;
		this.#schedule(this.#remainingMs || this.#currentMs());
	}

	toggle(): void {
		if (this.#paused) this.resume();
		else this.pause();
	}

	/** A new playlist (a lead changed it): stay on the same view if it is still there. */
	setItems(items: readonly PlaylistItem[]): void {
		if (items.length === 0) return;
		const view = this.view;
		this.#items = items;
		const found = items.findIndex((item) => item.view === view);
		this.#index = found >= 0 ? found : 0;
		if (!this.#paused) this.#schedule(this.#currentMs());
	}

	destroy(): void {
		this.stop();
	}

	#currentMs(): number {
		return this.#items[this.#index]!.seconds * 1000;
	}

	#go(index: number): void {
		const count = this.#items.length;
		this.#index = ((index % count) + count) % count;
		if (this.#paused) this.#remainingMs = this.#currentMs();
		else this.#schedule(this.#currentMs());
	}

	#schedule(ms: number): void {
		clearTimeout(this.#timer);
		if (!this.#running || this.#paused) {
			this.#deadline = undefined;
			return;
		}
		this.#deadline = this.#now() + ms;
		this.#timer = setTimeout(() => this.#go(this.#index + 1), ms);
	}
}
