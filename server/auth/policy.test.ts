import { describe, expect, it } from 'vitest';
import { boardAccess, canComment } from './policy.ts';
import type { Principal } from './principal.ts';

const board = (missionId: string, departmentIds: string[] = [], archived = false) => ({ id: `b-${missionId}`, missionId, departmentIds, archived });
const adviser: Principal = { id: 'person:ada', kind: 'person', name: 'Ada', role: 'adviser', departmentId: 'advisory', advises: ['growth'] };

describe('boardAccess for advisers', () => {
	it('reads every board of the missions they advise, and only those', () => {
		expect(boardAccess(adviser, board('growth'))).toBe('read');
		expect(boardAccess(adviser, board('streets'))).toBe('none');
		expect(boardAccess({ ...adviser, advises: [] }, board('growth'))).toBe('none');
	});

	it('keeps the boards their department joined, read-only', () => {
		expect(boardAccess(adviser, board('streets', ['advisory']))).toBe('read');
	});

	it('grants nothing through the advisers list to another role', () => {
		expect(boardAccess({ ...adviser, role: 'editor' }, board('growth'))).toBe('none');
		expect(boardAccess({ ...adviser, role: 'viewer' }, board('growth'))).toBe('none');
	});

	it('lets them comment, but not on an archived board', () => {
		expect(canComment(adviser, board('growth'))).toBe(true);
		expect(canComment(adviser, board('growth', [], true))).toBe(false);
		expect(canComment(adviser, board('streets'))).toBe(false);
	});
});
