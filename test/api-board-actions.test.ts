/**
 * "Everything the pages do can be done through the API", proved by walking the OpenAPI document
 * against the page's actions:
 * 1. the page's actions are the board-model writes its components import from board-doc.ts;
 * 2. each must be the `x-board-action` of at least one documented operation;
 * 3. every such operation is then called through the API and its effect is checked in a real
 *    y-websocket client's copy of the board (what the page would show), attributed to the caller.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as boardDoc from '#lib/board/board-doc.ts';
import { findByRef } from '#lib/board/board-doc.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { BoardRecord } from '#lib/protocol/records.ts';
import { api, buildAccessFixture, adminCredential, type AccessFixture } from './access-fixture.ts';
import { connectClient, eventually, type TestClient } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** board-doc.ts exports that are not a person's action: reads, and the automatic ref repair. */
const notActions = new Set(['readRecord', 'listRecords', 'readBoard', 'validRecords', 'findByRef', 'findAllByRef', 'reconcileRefs', 'refsOrigin', 'createRecords']);

function pageActions(): string[] {
	const root = fileURLToPath(new URL('../src', import.meta.url));
	const found = new Set<string>();
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (/\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') && !path.includes('/lib/board/')) {
				for (const match of readFileSync(path, 'utf8').matchAll(/import\s*\{([^}]+)\}\s*from\s*'[^']*board\/board-doc\.ts'/g)) {
					for (const item of match[1]!.split(',')) {
						const name = item.trim().replace(/^type\s+.*/, '').split(/\s+as\s+/)[0]!;
						if (name && typeof (boardDoc as Record<string, unknown>)[name] === 'function' && !notActions.has(name)) found.add(name);
					}
				}
			}
		}
	};
	walk(root);
	return [...found].sort();
}

interface Operation {
	method: string;
	path: string;
	action: string;
	body?: string;
}

describe('the whole board in the API: the OpenAPI document walked against the page actions', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	let boardId: string;
	let client: TestClient;
	let operations: Operation[];

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
		boardId = fixture.boardX.id;
		const document = (await api(server, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { 'x-board-action'?: string; requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>> };
		operations = Object.entries(document.paths).flatMap(([path, methods]) =>
			Object.entries(methods)
				.filter(([, operation]) => operation['x-board-action'])
				.map(([method, operation]) => ({ method, path, action: operation['x-board-action']!, body: operation.requestBody?.content['application/json']?.schema.$ref?.split('/').at(-1) }))
		);
		client = connectClient(server.wsUrl, boardDocName(boardId));
		await client.synced;
	});
	afterAll(async () => {
		client?.destroy();
		await server?.close();
	});

	it('every action the board page takes is an operation of the OpenAPI document', () => {
		const actions = pageActions();
		expect(actions).toEqual(expect.arrayContaining(['addComment', 'addLink', 'correctDecision', 'createRecord', 'deleteRecord', 'escalateBlocker', 'removeLink', 'replanAction', 'restoreRecord', 'setRating', 'updateRecord']));
		const documented = new Set(operations.map((operation) => operation.action));
		for (const action of actions) expect(documented, `the page calls ${action}; no API operation performs it`).toContain(action);
	});

	it('every documented board action works through the API and shows in a live client, attributed to the caller', async () => {
		const { a, b } = fixture.departments;
		const as = { cookie: fixture.editorA.cookie };
		const call = async (method: string, path: string, body?: unknown) => {
			const answer = await api(server, method.toUpperCase(), path, { ...as, body });
			expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
			return answer.body as BoardRecord;
		};
		const live = (ref: string) => {
			const found = findByRef(client.doc, ref);
			if (!found?.ok) throw new Error(`${ref} is not on the client's board`);
			return found.record;
		};
		// One record per register, made through the API (createRecord).
		const bodies: Record<string, unknown> = {
			dependencies: { title: 'Skills data share', providerDepartment: a, providerOwner: { name: 'Priya Shah' }, receiverDepartment: b, receiverOwner: { name: 'Tom Hughes' }, deliverable: 'A signed gateway' },
			blockers: { title: 'No legal gateway', owner: { name: 'Priya Shah' }, unblocker: 'Permanent secretary', raisedOn: '2030-01-10' },
			actions: { text: 'Draft the gateway regulations', owner: { name: 'Tom Hughes' }, due: '2030-02-01' },
			decisions: { text: 'Proceed with the pilot in two regions', decidedOn: '2030-01-12', forum: 'Missions Board' },
			risks: { title: 'Counsel unavailable', owner: { name: 'Priya Shah' }, cause: 'One lawyer covers three bills', event: 'Drafting stalls', effect: 'The pilot starts late', likelihood: 'high', impact: 'medium' },
			assumptions: { statement: 'Regions will share data monthly', owner: { name: 'Tom Hughes' }, validationDate: '2030-02-15' }
		};
		const refs: Record<string, string> = {};
		const walked = new Set<string>();
		const key = (operation: Operation) => `${operation.method} ${operation.path}`;
		for (const operation of operations.filter((o) => o.action === 'createRecord')) {
			const register = operation.path.split('/')[4]!;
			const created = await call(operation.method, operation.path.replace('{id}', boardId), bodies[register]);
			refs[register] = created.ref;
			walked.add(key(operation));
			await eventually(() => expect(live(created.ref).createdBy).toMatchObject({ name: 'Edna Alpha' }));
		}
		const { dependencies: dep, blockers: blk, actions: act, decisions: dec } = refs as Record<string, string>;

		const steps: Record<string, (register: string, path: string, operation: Operation) => Promise<void>> = {
			updateRecord: async (register, path) => {
				await call('patch', path, { title: `Renamed ${register}` });
				await eventually(() => expect(live(refs[register]!).title).toBe(`Renamed ${register}`));
			},
			addComment: async (register, path) => {
				await call('post', path, { text: `A comment on the ${register}` });
				await eventually(() => expect(live(refs[register]!).comments.at(-1)).toMatchObject({ text: `A comment on the ${register}`, author: { name: 'Edna Alpha' } }));
			},
			addLink: async (register, path) => {
				const target = register === 'decisions' ? act! : register === 'dependencies' ? blk! : dep!;
				await call('post', path, register === 'decisions' ? { target, field: 'createdActions' } : { target });
				const field = register === 'decisions' ? 'createdActions' : 'links';
				await eventually(() => expect((live(refs[register]!) as unknown as Record<string, { id: string }[]>)[field]!.map((l) => l.id)).toContain(live(target).id));
			},
			removeLink: async (register, path) => {
				const target = register === 'decisions' ? act! : register === 'dependencies' ? blk! : dep!;
				await call('delete', `${path.replace('{target}', target)}${register === 'decisions' ? '?field=createdActions' : ''}`);
				const field = register === 'decisions' ? 'createdActions' : 'links';
				await eventually(() => expect((live(refs[register]!) as unknown as Record<string, unknown[]>)[field]).toEqual([]));
			},
			deleteRecord: async (register, path, operation) => {
				await call(operation.method, path);
				await eventually(() => expect(live(refs[register]!).archived).toBe(true));
				await call('post', path.replace(/\/archive$/, '') + '/restore');
			},
			restoreRecord: async (register, path) => {
				await call('post', path.replace(/\/restore$/, '/archive'));
				await eventually(() => expect(live(refs[register]!).archived).toBe(true));
				await call('post', path);
				await eventually(() => expect(live(refs[register]!).archived).toBe(false));
			},
			setRating: async (_register, path) => {
				await call('post', path, { rating: 'amber_red', narrative: 'Gateway slipping' });
				await eventually(() => {
					const record = live(dep!);
					expect(record.register === 'dependencies' && record.ratingHistory.at(-1)).toMatchObject({ rating: 'amber_red', narrative: 'Gateway slipping', by: { name: 'Edna Alpha' } });
				});
			},
			escalateBlocker: async (_register, path) => {
				await call('post', path, { level: 'missions_unit_lead', on: '2030-01-20', forum: 'Programme board' });
				await eventually(() => {
					const record = live(blk!);
					expect(record.register === 'blockers' && [record.status, record.escalations.at(-1)?.level]).toEqual(['escalated', 'missions_unit_lead']);
				});
			},
			replanAction: async (_register, path) => {
				await call('post', path, { due: '2030-03-01', reason: 'Waiting for counsel' });
				await eventually(() => {
					const record = live(act!);
					expect(record.register === 'actions' && [record.due, record.originalDue, record.replans.length]).toEqual(['2030-03-01', '2030-02-01', 1]);
				});
			},
			correctDecision: async (_register, path) => {
				const correction = await call('post', path, { text: 'Proceed with the pilot in three regions' });
				await eventually(() => {
					expect(live(dec!).status).toBe('superseded');
					const created = live(correction.ref);
					expect(created.register === 'decisions' && created.supersedes).toBe(live(dec!).id);
				});
			}
		};
		for (const operation of operations.filter((o) => o.action !== 'createRecord')) {
			const register = operation.path.split('/')[4]!;
			const step = steps[operation.action];
			expect(step, `no walk step for ${operation.action}`).toBeDefined();
			const path = operation.path.replace('{id}', boardId).replace('{ref}', refs[register]!);
			await step!(register, path, operation);
			walked.add(key(operation));
		}
		expect([...walked].sort()).toEqual(operations.map(key).sort());
		expect(walked.size).toBeGreaterThanOrEqual(30);
	});

	it('refuses bad input and readers with clear errors, and changes nothing', async () => {
		const path = (suffix: string) => `/api/boards/${boardId}/${suffix}`;
		const before = client.doc.getMap('blockers').toJSON();
		const cases: [string, string, unknown, number][] = [
			['POST', path('dependencies/DEP-1/comments'), { text: '' }, 400],
			['POST', path('dependencies/DEP-1/comments'), { text: 'x', by: 'someone else' }, 400],
			['POST', path('dependencies/DEP-1/ratings'), { rating: 'purple' }, 400],
			['POST', path('blockers/BLK-1/escalations'), { level: 'the queen', on: '2030-01-01', forum: 'x' }, 400],
			['POST', path('actions/ACT-1/replans'), { due: '2030-02-30' }, 400],
			['POST', path('actions/ACT-1/replans'), { due: '2030-03-01' }, 400],
			['POST', path('blockers/BLK-1/links'), { target: 'DEP-999' }, 404],
			['POST', path('blockers/BLK-1/links'), { target: 'DEP-1', field: 'createdActions' }, 400],
			['POST', path('decisions/DEC-1/corrections'), { text: 'Again' }, 409],
			['DELETE', path('blockers/BLK-1/links/DEP-1'), undefined, 404],
			['POST', path('blockers/NOPE-1/comments'), { text: 'x' }, 404]
		];
		for (const [method, url, body, status] of cases) {
			const answer = await api(server, method, url, { ...adminCredential, body });
			expect(answer.status, `${method} ${url} ${JSON.stringify(body)}: ${answer.text}`).toBe(status);
			expect((answer.body as { error: { code: string } }).error.code).toBeTruthy();
		}
		const reader = await api(server, 'POST', path('blockers/BLK-1/comments'), { cookie: fixture.viewerA.cookie, body: { text: 'I can only read' } });
		expect(reader.status).toBe(403);
		const stranger = await api(server, 'POST', path('blockers/BLK-1/comments'), { cookie: fixture.editorB.cookie, body: { text: 'Not my board' } });
		expect(stranger.status).toBe(404);
		expect(client.doc.getMap('blockers').toJSON()).toEqual(before);
	});
});
