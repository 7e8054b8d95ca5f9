/**
 * The wall's clock and freshness: connections report when they go up or down and every time the
 * server speaks; a one-second tick turns those facts into "live", "reconnecting…" or "as at 09:41"
 * and raises the full-screen banner after the threshold. A tick that comes late by more than
 * `sleepGapMs` means the machine slept: `onWake` asks every connection to start afresh.
 */
import { freshnessOf, type FreshnessStatus, type FreshnessView, type SourceFacts } from './freshness.ts';
import { clockTime } from './wall-data.ts';
import { wallDefaults } from './wall-defaults.ts';

export type FreshnessOptions = {
	staleAfterMs?: number;
	onWake?: () => void;
	now?: () => number;
};

export class Freshness {
	readonly staleAfterMs: number;
	#clock: () => number;
	#startedAt: number;
	#sources = new Map<string, SourceFacts>();
	#now = $state(0);
	#view = $state.raw<FreshnessView>({ status: 'connecting', asAt: undefined, stale: false });
	#timer: ReturnType<typeof setInterval>;
	#onWake: (() => void) | undefined;

	constructor(options: FreshnessOptions = {}) {
		this.#clock = options.now ?? Date.now;
		this.staleAfterMs = options.staleAfterMs ?? wallDefaults.staleAfterMs;
		this.#onWake = options.onWake;
		this.#startedAt = this.#clock();
		this.#now = this.#startedAt;
		this.#timer = setInterval(this.#tick, wallDefaults.tickMs);
	}

	/** The wall's clock (epoch ms), advancing once a second. */
	get now(): number {
		return this.#now;
	}

	get status(): FreshnessStatus {
		return this.#view.status;
	}

	get asAt(): number | undefined {
		return this.#view.asAt;
	}

	get stale(): boolean {
		return this.#view.stale;
	}

	/** What the indicator says. */
	get label(): string {
		if (this.#view.status === 'live') return 'Live';
		const asAt = this.#view.asAt === undefined ? '' : ` · as at ${clockTime(this.#view.asAt)}`;
		return this.#view.status === 'connecting' ? `Connecting…${asAt}` : `Reconnecting…${asAt}`;
	}

	/** "09:41": the last time everything was known to be current (or when the wall started). */
	get sinceLabel(): string {
		return clockTime(this.#view.asAt ?? this.#startedAt);
	}

	/** A connection is up or down. */
	setConnected(source: string, connected: boolean): void {
		const facts = this.#facts(source);
		if (facts.connected === connected) return;
		facts.connected = connected;
		this.#recompute();
	}

	/** The server spoke on this connection. */
	contact(source: string): void {
		const facts = this.#facts(source);
		const first = facts.lastContact === undefined;
		facts.lastContact = this.#clock();
		if (first || this.#view.status !== 'live') this.#recompute();
	}

	remove(source: string): void {
		if (this.#sources.delete(source)) this.#recompute();
	}

	destroy(): void {
		clearInterval(this.#timer);
	}

	#facts(source: string): SourceFacts {
		let facts = this.#sources.get(source);
		if (!facts) this.#sources.set(source, (facts = { connected: false, lastContact: undefined }));
		return facts;
	}

	#recompute(): void {
		const next = freshnessOf([...this.#sources.values()], this.#clock(), { startedAt: this.#startedAt, staleAfterMs: this.staleAfterMs });
		const current = this.#view;
		if (next.status !== current.status || next.asAt !== current.asAt || next.stale !== current.stale) this.#view = next;
	}

	#tick = (): void => {
		const now = this.#clock();
		const slept = now - this.#now > wallDefaults.sleepGapMs;
		this.#now = now;
		this.#recompute();
		if (slept) this.#onWake?.();
	};
}
