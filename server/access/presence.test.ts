import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.ts';
import { presenceLists, presenceRoom, presenceRooms, visiblePresence } from './presence.ts';

const lead: Principal = { id: 'person:lead', kind: 'person', name: 'Lena', role: 'lead', departmentId: 'unit' };
const admin: Principal = { id: 'admin', kind: 'admin', name: 'Administrator', role: 'lead' };
const alpha: Principal = { id: 'person:a1', kind: 'person', name: 'Ann', role: 'editor', departmentId: 'alpha' };
const alphaViewer: Principal = { id: 'person:a2', kind: 'person', name: 'Vic', role: 'viewer', departmentId: 'alpha' };
const beta: Principal = { id: 'person:b1', kind: 'person', name: 'Ben', role: 'editor', departmentId: 'beta' };
const wall: Principal = { id: 'wall:w1', kind: 'wall', name: 'Room 4', role: 'viewer', credentialId: 'w1', scope: { boardIds: ['x'] } };

const names = (people: Array<{ name: string }> | undefined) => (people ?? []).map((person) => person.name).sort();

describe('who sees whom online', () => {
	it('leads see everyone; a department its own people and the leads; walls are never listed', () => {
		const lists = presenceLists([lead, admin, alpha, alphaViewer, beta, wall, alpha]);
		expect(names(lists.get(presenceRooms.everyone))).toEqual(['Administrator', 'Ann', 'Ben', 'Lena', 'Vic']);
		expect(names(lists.get(presenceRooms.department('alpha')))).toEqual(['Administrator', 'Ann', 'Lena', 'Vic']);
		expect(names(lists.get(presenceRooms.department('beta')))).toEqual(['Administrator', 'Ben', 'Lena']);
		expect([...lists.keys()].sort()).toEqual([presenceRooms.everyone, presenceRooms.department('alpha'), presenceRooms.department('beta')].sort());
	});

	it('a wall display gets no list and joins no presence room', () => {
		expect(presenceRoom(wall)).toBeUndefined();
		expect(visiblePresence(wall, [lead, alpha])).toEqual([]);
		expect(names(visiblePresence(beta, [lead, alpha, beta]))).toEqual(['Ben', 'Lena']);
	});
});
