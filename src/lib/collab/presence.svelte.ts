/**
 * Who is on the board and which record each of them is editing, over y-protocols awareness.
 * Local changes are throttled (at most `maxUpdatesPerSecond`); remote ones are read through
 * subscribers. Editors per record are kept in a SvelteMap, so a row re-renders only when the
 * people editing *that* record change.
 */
import { SvelteMap, createSubscriber } from 'svelte/reactivity';
import type { Awareness } from 'y-protocols/awareness';
import { z } from 'zod';

export const presenceDefaults = { maxUpdatesPerSecond: 4 } as const;

/** Colours with at least 4.5:1 contrast against white text, in a fixed order. */
export const presenceColours = [
	'#1d5fa8',
	'#8a3ab9',
	'#b1361e',
	'#1a7342',
	'#8a5300',
	'#a8296b',
	'#245f73',
	'#5b4bb7',
	'#6a6a1a',
	'#b23b4f'
] as const;

const presenceState = z.object({
	user: z.object({ id: z.string().max(128), name: z.string().min(1).max(120), colour: z.string().regex(/^#[0-9a-fA-F]{6}$/) }),
	editing: z.string().max(64).nullable().default(null)
});

export type PresenceUser = { id: string; name: string; colour: string };
export type PresencePeer = PresenceUser & { clientId: number; editing: string | null };

/** A stable colour for a person, so they look the same to everyone. */
export function colourFor(id: string): string {
	let hash = 0;
	for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
	return presenceColours[hash % presenceColours.length]!;
}

/** "Priya Shah" → "PS"; one name → its first two letters. */
export function initials(name: string): string {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	if (parts.length === 0) return '?';
	if (parts.length === 1) return parts[0]!.slice(0, 2).toUpperCase();
	return (parts[0]![0]! + parts.at(-1)![0]!).toUpperCase();
}

export class Presence {
	readonly awareness: Awareness;
	readonly me: PresenceUser;
	#editing: string | null = null;
	#others: PresencePeer[] = [];
	#editors = new SvelteMap<string, PresencePeer[]>();
	#timer: ReturnType<typeof setTimeout> | undefined;
	#lastSent = 0;
	#subscribe = createSubscriber((update) => {
		this.awareness.on('change', update);
		return () => this.awareness.off('change', update);
	});

	constructor(awareness: Awareness, user: { id: string; name: string }) {
		this.awareness = awareness;
		this.me = { id: user.id, name: user.name, colour: colourFor(user.id) };
		this.awareness.setLocalState({ user: this.me, editing: null });
		this.awareness.on('change', this.#onChange);
		this.#onChange();
	}

	/** Everyone else on the board (one entry per browser tab), in a stable order. */
	get others(): PresencePeer[] {
		this.#subscribe();
		return this.#others;
	}

	/** Everyone else, one entry per person. */
	get people(): PresencePeer[] {
		this.#subscribe();
		const seen = new Set<string>();
		return this.#others.filter((peer) => !seen.has(peer.id) && seen.add(peer.id));
	}

	/** Other people editing this record (reactive per record). */
	editorsOf(recordId: string): PresencePeer[] {
		return this.#editors.get(recordId) ?? none;
	}

	/** Announces which record this tab is editing; sent at most `maxUpdatesPerSecond` times a second. */
	setEditing(recordId: string | null): void {
		if (this.#editing === recordId) return;
		this.#editing = recordId;
		const interval = 1000 / presenceDefaults.maxUpdatesPerSecond;
		const wait = this.#lastSent + interval - Date.now();
		if (wait <= 0) this.#send();
		else this.#timer ??= setTimeout(() => this.#send(), wait);
	}

	#send(): void {
		this.#timer = undefined;
		this.#lastSent = Date.now();
		const state = this.awareness.getLocalState();
		if (state === null || state.editing !== this.#editing) this.awareness.setLocalStateField('editing', this.#editing);
	}

	#onChange = (): void => {
		const self = this.awareness.clientID;
		const others: PresencePeer[] = [];
		for (const [clientId, raw] of this.awareness.getStates()) {
			if (clientId === self) continue;
			const parsed = presenceState.safeParse(raw);
			if (!parsed.success) continue;
			others.push({ ...parsed.data.user, clientId, editing: parsed.data.editing });
		}
		others.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
		this.#others = others;
		const next = new Map<string, PresencePeer[]>();
		for (const peer of others) {
			if (!peer.editing) continue;
			const list = next.get(peer.editing);
			if (list) list.push(peer);
			else next.set(peer.editing, [peer]);
		}
		for (const id of [...this.#editors.keys()]) if (!next.has(id)) this.#editors.delete(id);
		for (const [id, list] of next) {
			if (!samePeers(this.#editors.get(id), list)) this.#editors.set(id, list);
		}
	};

	destroy(): void {
		clearTimeout(this.#timer);
		this.awareness.off('change', this.#onChange);
		this.awareness.setLocalState(null);
	}
}

const none: PresencePeer[] = [];

function samePeers(a: readonly PresencePeer[] | undefined, b: readonly PresencePeer[]): boolean {
	return a !== undefined && a.length === b.length && a.every((peer, i) => peer.clientId === b[i]!.clientId && peer.name === b[i]!.name);
}
