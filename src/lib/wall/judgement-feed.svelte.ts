/**
 * The mission's judged delivery confidence on a wall (`GET /api/missions/:id/leadership`): asked for
 * when the wall starts, each time its socket (re)connects and whenever the workspace says a mission
 * changed (`workspace:changed` of kind `missions`, which a new judgement sends), and again with
 * jittered back-off after a failure. The summary view sets it beside the confidence the evidence
 * reads (`reconcileConfidence`), as the mission page does.
 */
import { judgement } from '../protocol/missions.ts';
import type { JudgedConfidence } from '../board/confidence-reading.ts';
import { backoffDelay } from './backoff.ts';
import { z } from 'zod';

export type JudgementFeedOptions = {
	missionId: string;
	/** A wall-display or API token; without one the browser's cookie is sent. */
	token?: string;
};

/** Only the part of the leadership answer a wall shows. */
const answer = z.object({ confidence: judgement.nullable() });

export type JudgementState = { status: 'loading' } | { status: 'ready'; judged: (JudgedConfidence & { narrative: string }) | null };

export class JudgementFeed {
	#state = $state.raw<JudgementState>({ status: 'loading' });
	#options: JudgementFeedOptions;
	#attempts = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	/** Counts requests, so an older answer arriving late never replaces a newer one. */
	#asked = 0;
	#destroyed = false;

	constructor(options: JudgementFeedOptions) {
		this.#options = options;
	}

	get state(): JudgementState {
		return this.#state;
	}

	/** Asks again now (start, reconnect, a mission changed). */
	refresh(): void {
		if (this.#destroyed) return;
		clearTimeout(this.#timer);
		void this.#load();
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#timer);
	}

	async #load(): Promise<void> {
		const asked = ++this.#asked;
		try {
			const response = await fetch(`/api/missions/${encodeURIComponent(this.#options.missionId)}/leadership`, {
				headers: this.#options.token ? { authorization: `Bearer ${this.#options.token}` } : {},
				cache: 'no-store'
			});
			// This wall may not read the mission's leadership: it shows the evidence alone, as before any judgement.
			const confidence = response.status === 403 || response.status === 404 ? null : response.ok ? answer.parse(await response.json()).confidence : undefined;
			if (confidence === undefined) throw new Error(`the server answered ${response.status}`);
			if (this.#destroyed || asked !== this.#asked) return;
			this.#attempts = 0;
			this.#state = { status: 'ready', judged: confidence && { level: confidence.level, byName: confidence.byName, at: confidence.at, narrative: confidence.narrative } };
		} catch {
			// Keep what is shown (a judgement rarely changes); the socket's own freshness says whether the wall is live.
			if (this.#destroyed || asked !== this.#asked) return;
			this.#timer = setTimeout(() => void this.#load(), backoffDelay(this.#attempts++));
		}
	}
}
