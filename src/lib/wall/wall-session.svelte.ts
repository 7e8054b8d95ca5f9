/**
 * One wall (or one laptop following the chair): its clock and freshness, the board documents of
 * the mission, the meeting link, its own playlist rotation and the follow-the-chair logic, built
 * together and torn down together. Created in the browser only.
 *
 * It never navigates: no reload, no redirect to a login page. When the credential stops working
 * (confirmed), it stops every connection and `ended` says why, for the screen to say so plainly.
 */
import type { PlaylistItem } from '../protocol/meeting.ts';
import { closeCodes } from '../protocol/close-codes.ts';
import { AsAtFeed } from './as-at-feed.svelte.ts';
import { BoardFeed } from './board-feed.svelte.ts';
import { FollowChair } from './follow-chair.svelte.ts';
import { Freshness } from './freshness.svelte.ts';
import { JudgementFeed } from './judgement-feed.svelte.ts';
import { MeetingLink } from './meeting-link.svelte.ts';
import { PlaylistRotation } from './playlist-rotation.svelte.ts';
import { SinceFeed } from './since-feed.svelte.ts';

export type WallSessionOptions = {
	missionId: string;
	boards: readonly { id: string }[];
	playlist: readonly PlaylistItem[];
	/** A wall-display token (walls); without one, the browser's session (laptops). */
	token?: string;
	staleAfterMs?: number;
	/** Who is looking (laptops): the chair's own keys drive the meeting. */
	selfId?: string;
};

export const endedReasons = ['revoked', 'access-removed'] as const;
export type EndedReason = (typeof endedReasons)[number];

function syncUrl(): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
}

export class WallSession {
	readonly freshness: Freshness;
	readonly feed: BoardFeed;
	readonly link: MeetingLink;
	readonly rotation: PlaylistRotation;
	readonly follow: FollowChair;
	/** The boards as they stood when the last meeting ended (asked for when the "since" view is first shown). */
	readonly since: SinceFeed;
	/** The boards as at the moment the chair picked, while the meeting has one set. */
	readonly asAt: AsAtFeed;
	/** The mission's judged delivery confidence, for the summary (kept current over the socket). */
	readonly judgement: JudgementFeed;
	#ended = $state<EndedReason | null>(null);
	#destroyed = false;

	constructor(options: WallSessionOptions) {
		this.freshness = new Freshness({ staleAfterMs: options.staleAfterMs, onWake: () => this.reconnect() });
		this.rotation = new PlaylistRotation(options.playlist);
		this.since = new SinceFeed({ missionId: options.missionId, token: options.token });
		this.asAt = new AsAtFeed({ missionId: options.missionId, token: options.token });
		this.judgement = new JudgementFeed({ missionId: options.missionId, token: options.token });
		// Ready before its turn comes, so the view never opens on "Reading…".
		if (options.playlist.some((item) => item.view === 'since')) this.since.ensure();
		this.feed = new BoardFeed({
			boards: options.boards,
			serverUrl: syncUrl(),
			token: options.token,
			freshness: this.freshness,
			onTerminal: (code) => this.#end(code === closeCodes.accessRevoked ? 'access-removed' : 'revoked')
		});
		this.link = new MeetingLink({
			missionId: options.missionId,
			token: options.token,
			freshness: this.freshness,
			onRevoked: () => this.#end('revoked'),
			onMeeting: (next, previous) => {
				this.since.onMeeting(next, previous);
				this.asAt.onMeeting(next);
				this.follow.onMeeting(next, previous);
			},
			onMissionsChanged: () => this.judgement.refresh(),
			onPlaylist: (playlist) => {
				if (playlist.items.some((item) => item.view === 'since')) this.since.ensure();
				this.rotation.setItems(playlist.items);
			}
		});
		this.follow = new FollowChair(this.link, this.rotation, { selfId: options.selfId });
		this.rotation.start();
		window.addEventListener('online', this.#onOnline);
		document.addEventListener('visibilitychange', this.#onVisible);
	}

	/** Why the screen stopped for good, or null while it is working. */
	get ended(): EndedReason | null {
		return this.#ended;
	}

	/** Every connection starts afresh now (after a sleep, or when the network comes back). */
	reconnect(): void {
		if (this.#destroyed) return;
		this.feed.reconnect();
		this.link.reconnect();
	}

	destroy(): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		window.removeEventListener('online', this.#onOnline);
		document.removeEventListener('visibilitychange', this.#onVisible);
		this.link.destroy();
		this.feed.destroy();
		this.since.destroy();
		this.asAt.destroy();
		this.judgement.destroy();
		this.rotation.destroy();
		this.freshness.destroy();
	}

	#end(reason: EndedReason): void {
		if (this.#ended) return;
		this.#ended = reason;
		this.destroy();
	}

	#onOnline = (): void => this.reconnect();

	#onVisible = (): void => {
		if (document.visibilityState === 'visible' && this.freshness.status !== 'live') this.reconnect();
	};
}
