import { afterEach, describe, expect, it, vi } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Presence, colourFor, initials, presenceDefaults } from './presence.svelte.ts';

/** Copies one awareness's local state into another, as the server relays it. */
function relay(from: Awareness, to: Awareness): void {
	applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [from.clientID]), 'remote');
}

describe('Presence', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('sends at most a few editing changes a second, ending on the latest', () => {
		vi.useFakeTimers();
		const awareness = new Awareness(new Y.Doc());
		const presence = new Presence(awareness, { id: 'p1', name: 'Priya Shah' });
		const sent: unknown[] = [];
		awareness.on('change', () => sent.push(awareness.getLocalState()?.editing));
		presence.setEditing('a');
		presence.setEditing('b');
		presence.setEditing('c');
		expect(sent).toEqual(['a']);
		vi.advanceTimersByTime(1000 / presenceDefaults.maxUpdatesPerSecond);
		expect(sent).toEqual(['a', 'c']);
		presence.destroy();
	});

	it('lists the others and who is editing each record', () => {
		const mine = new Awareness(new Y.Doc());
		const theirs = new Awareness(new Y.Doc());
		const presence = new Presence(mine, { id: 'p1', name: 'Priya Shah' });
		const other = new Presence(theirs, { id: 'p2', name: 'Tom Hughes' });
		other.setEditing('record-1');
		relay(theirs, mine);
		expect(presence.others.map((peer) => peer.name)).toEqual(['Tom Hughes']);
		expect(presence.editorsOf('record-1').map((peer) => peer.name)).toEqual(['Tom Hughes']);
		expect(presence.editorsOf('record-2')).toEqual([]);
		theirs.setLocalStateField('editing', null);
		relay(theirs, mine);
		expect(presence.editorsOf('record-1')).toEqual([]);
		presence.destroy();
		other.destroy();
	});

	it('ignores presence states that are not ours', () => {
		const mine = new Awareness(new Y.Doc());
		const theirs = new Awareness(new Y.Doc());
		const presence = new Presence(mine, { id: 'p1', name: 'Priya Shah' });
		theirs.setLocalState({ user: { name: '' }, editing: 42 });
		relay(theirs, mine);
		expect(presence.others).toEqual([]);
		presence.destroy();
	});

	it('gives everyone a stable colour and initials', () => {
		expect(colourFor('person:1')).toBe(colourFor('person:1'));
		expect(initials('Priya Shah')).toBe('PS');
		expect(initials('Administrator')).toBe('AD');
		expect(initials('  ')).toBe('?');
	});
});
