import { describe, expect, it } from 'vitest';
import { closeCodes } from '#lib/protocol/close-codes.ts';
import type { Board } from '#lib/protocol/workspace.ts';
import type { Principal } from '../auth/principal.ts';
import { peerVerdict } from './live-access.ts';

const board: Board = { id: 'BoardXXX01', missionId: 'Mission001', title: 'X', description: '', archived: false, sample: false, departmentIds: ['DeptAlpha1'], createdAt: 0, createdBy: 'admin', updatedAt: 0, updatedBy: 'admin' };
const editor: Principal = { id: 'person:e', kind: 'person', name: 'E', role: 'editor', departmentId: 'DeptAlpha1', credentialId: 's1' };
const peer = (docName: string, readOnly: boolean) => ({ docName, readOnly });

describe('what an open /yjs connection may keep doing', () => {
	const cases: Array<[string, ReturnType<typeof peer>, Principal | undefined, Board | undefined, number | undefined]> = [
		['still allowed to write', peer('board:BoardXXX01', false), editor, board, undefined],
		['its credential ended', peer('board:BoardXXX01', false), undefined, board, closeCodes.signedOut],
		['its department left the board', peer('board:BoardXXX01', false), editor, { ...board, departmentIds: [] }, closeCodes.accessRevoked],
		['the board is gone', peer('board:BoardXXX01', false), editor, undefined, closeCodes.accessRevoked],
		['now a viewer, connected as a writer', peer('board:BoardXXX01', false), { ...editor, role: 'viewer' }, board, closeCodes.accessChanged],
		['now an editor, connected read-only', peer('board:BoardXXX01', true), editor, board, closeCodes.accessChanged],
		['the board was archived', peer('board:BoardXXX01', false), editor, { ...board, archived: true }, closeCodes.accessChanged],
		['a non-board document, no longer a lead', peer('notes', false), editor, undefined, closeCodes.accessRevoked],
		['a non-board document, still a lead', peer('notes', false), { ...editor, role: 'lead' }, undefined, undefined]
	];
	for (const [name, connection, principal, current, code] of cases) {
		it(name, () => expect(peerVerdict(connection, principal, current)).toBe(code));
	}
});
