/**
 * A change the server refuses (close 4422), as the person who made it lives it: their copy of the
 * board on this device holds a deleted comment (an old tab, a doctored copy — the page's own undo
 * never deletes protected entries), the page sends it, the server refuses it. The page says why in
 * plain words, drops its IndexedDB copy and pending list, reloads the board from the server without
 * a manual reload, and never sends the refused change again. Nobody else ever sees it.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addComment, createRecord } from '../../src/lib/board/board-doc.ts';
import { localCacheName } from '../../src/lib/collab/local-copy.ts';
import { boardDocName } from '../../src/lib/protocol/doc-names.ts';
import { adminPrincipal } from '../../server/auth/principal.ts';
import { rejectedCount } from '../access-fixture.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { api, createBoard, openBoard, useSampleBoard, waitForSync } from './board-helpers.ts';

describe('board page: a refused change (Chromium)', () => {
	const fixture = useSampleBoard();

	it('says why, reloads the board from the server, and keeps the comment for everyone', async () => {
		const { server } = fixture;
		const boardId = await createBoard(server.url, 'Refusal board');
		const docName = boardDocName(boardId);
		const recordId = await server.backend.hub.transact(docName, adminPrincipal, (doc) => {
			const { id } = createRecord(doc, 'dependencies', { title: 'Skills data share', providerDepartment: 'dept-dfe', receiverDepartment: 'dept-hmt', providerOwner: { name: 'Priya Shah' }, receiverOwner: { name: 'Tom Reid' }, deliverable: 'Monthly extract', doneCriteria: '', impact: '' }, { name: adminPrincipal.name, id: adminPrincipal.id });
			addComment(doc, 'dependencies', id, { text: 'Agreed at the stocktake' }, { name: adminPrincipal.name, id: adminPrincipal.id });
			return id;
		});

		const a = await fixture.page();
		const b = await fixture.page();
		await openBoard(a, boardId, '?ref=DEP-1');
		await openBoard(b, boardId, '?ref=DEP-1');
		await a.locator('.comments li', { hasText: 'Agreed at the stocktake' }).waitFor();
		await b.locator('.comments li', { hasText: 'Agreed at the stocktake' }).waitFor();
		// Leave the board so its copy on this device is closed, then put the deletion into that copy.
		await a.goto('/');

		const deletion = await server.backend.hub.withDoc(docName, (shared) => {
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(shared.doc));
			const before = Y.encodeStateVector(copy);
			const comments = (copy.getMap('dependencies').get(recordId) as Y.Map<unknown>).get('comments') as Y.Array<unknown>;
			comments.delete(0, 1);
			return Array.from(Y.encodeStateAsUpdate(copy, before));
		});
		await a.evaluate(
			async ([name, bytes]) => {
				const db = await new Promise<IDBDatabase>((resolve, reject) => {
					const request = indexedDB.open(name);
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				});
				await new Promise<void>((resolve, reject) => {
					const transaction = db.transaction('updates', 'readwrite');
					transaction.objectStore('updates').add(new Uint8Array(bytes));
					transaction.oncomplete = () => resolve();
					transaction.onerror = () => reject(transaction.error);
				});
				db.close();
			},
			[localCacheName(adminPrincipal.id, boardId), deletion] as const
		);
		const refusedBefore = await rejectedCount(server, 'protected');

		await a.goto(`/boards/${boardId}?ref=DEP-1`);
		const banner = a.locator('[data-refusal]');
		await banner.waitFor();
		expect(await banner.getAttribute('role')).toBe('alert');
		expect(await banner.textContent()).toContain('Your change was refused: histories and comments are append-only: an entry cannot be removed.');
		// Recovered by itself: live again, the comment back, the details still open.
		await waitForSync(a, ['live']);
		await a.locator('.comments li', { hasText: 'Agreed at the stocktake' }).waitFor();
		await banner.filter({ hasText: 'The board has been reloaded from the server' }).waitFor();
		expect(await seriousViolations(a)).toEqual([]);

		// The other person never saw the deletion, and stayed connected throughout.
		expect(await b.locator('.comments li', { hasText: 'Agreed at the stocktake' }).count()).toBe(1);
		expect(await b.locator('[data-sync-state]').getAttribute('data-sync-state')).toBe('live');
		const stored = await api<{ comments: unknown[] }>(server.url, 'GET', `/api/boards/${boardId}/dependencies/DEP-1`);
		expect(stored.comments).toHaveLength(1);

		// Refused once, never resent: not while the page stays, not after a reload (the copy is gone).
		await a.waitForTimeout(1_500);
		await a.reload();
		await waitForSync(a, ['live']);
		await a.locator('.comments li', { hasText: 'Agreed at the stocktake' }).waitFor();
		expect(await a.locator('[data-refusal]').count()).toBe(0);
		expect(await rejectedCount(server, 'protected')).toBe(refusedBefore + 1);

		// The reloaded page still edits normally.
		await a.getByLabel('Add a comment').fill('Still working after the refusal');
		await a.getByRole('button', { name: 'Add comment' }).click();
		await b.locator('.comments li', { hasText: 'Still working after the refusal' }).waitFor();
	});
});
