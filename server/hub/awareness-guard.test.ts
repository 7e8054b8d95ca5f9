import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.ts';
import { AwarenessRate, awarenessGuardDefaults, guardAwareness, type AwarenessDrop } from './awareness-guard.ts';
import type { Peer } from './peer.ts';

function update(entries: Array<[number, number, unknown]>): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const [clientId, clock, state] of entries) {
		encoding.writeVarUint(encoder, clientId);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, JSON.stringify(state));
	}
	return encoding.toUint8Array(encoder);
}

function entries(bytes: Uint8Array | undefined): Array<[number, unknown]> {
	if (!bytes) return [];
	const decoder = decoding.createDecoder(bytes);
	const count = decoding.readVarUint(decoder);
	return Array.from({ length: count }, () => {
		const id = decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		return [id, JSON.parse(decoding.readVarString(decoder))] as [number, unknown];
	});
}

/** The fields the guard reads of a connection (no socket needed). */
const connection = (principal: Principal, ids: number[] = [], rate = new AwarenessRate()) => ({ principal, awarenessIds: new Set(ids), awarenessRate: rate }) as unknown as Peer;
const editor: Principal = { id: 'person:e', kind: 'person', name: 'Edna', role: 'editor', departmentId: 'alpha' };
const lead: Principal = { id: 'person:l', kind: 'person', name: 'Lena', role: 'lead', departmentId: 'unit' };

describe('awareness guard', () => {
	it('sets `user` from the principal, keeping only presentation fields the client chose', () => {
		const me = connection(editor);
		const accepted = guardAwareness([me], me, update([[7, 1, { user: { name: 'Lena', id: 'person:l', role: 'lead', color: '#00ff00', html: '<b>' }, cursor: 3 }]]));
		expect(entries(accepted)).toEqual([[7, { user: { color: '#00ff00', id: 'person:e', name: 'Edna', role: 'editor', department: 'alpha' }, cursor: 3 }]]);
	});

	it("drops entries for another connection's client ids, including removals", () => {
		const me = connection(editor);
		const other = connection(lead, [9]);
		const accepted = guardAwareness([me, other], me, update([[9, 5, { cursor: 1 }], [9, 6, null], [10, 1, null]]));
		expect(entries(accepted)).toEqual([[10, null]]);
	});

	it('caps how many client ids one connection may own', () => {
		const me = connection(editor, [1, 2, 3, 4]);
		expect(guardAwareness([me], me, update([[5, 1, {}]]))).toBeUndefined();
		expect(entries(guardAwareness([me], me, update([[4, 2, {}]])))).toHaveLength(1);
		expect(awarenessGuardDefaults.maxClientIdsPerPeer).toBe(4);
	});

	it('accepts nothing from a wall display, and throws on malformed input', () => {
		const wall = connection({ id: 'wall:w', kind: 'wall', name: 'Wall', role: 'viewer' });
		expect(guardAwareness([wall], wall, update([[3, 1, { user: {} }]]))).toBeUndefined();
		const me = connection(editor);
		expect(() => guardAwareness([me], me, new Uint8Array([1, 1, 1, 9]))).toThrow();
		expect(guardAwareness([me], me, update([[3, 1, [1, 2]]]))).toBeUndefined();
	});

	it('drops a state past maxStateBytes and counts it; the rest of the message goes through', () => {
		const me = connection(editor);
		const drops: AwarenessDrop[] = [];
		const big = { cursor: 1, junk: 'x'.repeat(awarenessGuardDefaults.maxStateBytes) };
		const accepted = guardAwareness([me], me, update([[7, 1, big], [8, 1, { cursor: 2 }]]), undefined, (reason) => drops.push(reason));
		expect(entries(accepted).map(([id]) => id)).toEqual([8]);
		expect(drops).toEqual(['awareness_too_big']);
	});

	it('drops messages past the connection rate, and lets them through again as the budget refills', () => {
		let now = 0;
		const me = connection(editor, [], new AwarenessRate(() => now));
		const drops: AwarenessDrop[] = [];
		const send = (clock: number) => guardAwareness([me], me, update([[7, clock, { cursor: clock }]]), undefined, (reason) => drops.push(reason));
		for (let clock = 1; clock <= awarenessGuardDefaults.rateBurst; clock++) expect(send(clock)).toBeDefined();
		expect(send(1_000)).toBeUndefined();
		expect(drops).toEqual(['awareness_too_fast']);
		now += 1_000 / awarenessGuardDefaults.ratePerSecond;
		expect(send(1_001)).toBeDefined();
	});
});
