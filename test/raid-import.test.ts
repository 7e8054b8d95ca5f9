/**
 * RAID import through the real API: the example workbook in docs/examples imports cleanly with the
 * suggested mapping; importing again changes nothing, and a changed cell updates one record;
 * the mapping is remembered per mission; bad files and bad rows get clear answers and nothing is
 * half-imported.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '#lib/protocol/raid-import.ts';
import { raidLogWorkbook } from '../docs/examples/make-raid-log.ts';
import { api, adminCredential, createInvite, redeem } from './access-fixture.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

const example = readFileSync(new URL('../docs/examples/raid-log.xlsx', import.meta.url));
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('RAID import (CSV and XLSX, preview, all or nothing, idempotent by key)', () => {
	let server: TestServer;
	let boardId: string;
	let missionId: string;

	const upload = async (bytes: Uint8Array | string, options: { name?: string; type?: string; dryRun?: boolean; mapping?: unknown; register?: string; cookie?: string; board?: string } = {}) => {
		const form = new FormData();
		form.set('file', new Blob([bytes as BlobPart], { type: options.type ?? xlsxType }), options.name ?? 'raid-log.xlsx');
		if (options.mapping) form.set('mapping', JSON.stringify(options.mapping));
		if (options.register) form.set('register', options.register);
		const response = await fetch(`${server.url}/api/boards/${options.board ?? boardId}/import${options.dryRun ? '?dryRun=true' : ''}`, {
			method: 'POST',
			// SvelteKit refuses multipart posts whose Origin is not the server's (its CSRF check), scripts included.
			headers: { origin: server.url, ...(options.cookie ? { cookie: options.cookie } : { authorization: `Bearer ${testAdminToken}` }) },
			body: form
		});
		const text = await response.text();
		return { status: response.status, body: JSON.parse(text) as ImportResult & { error?: { code: string; message: string; issues?: { path: string; message: string }[] } } };
	};
	const records = async (register: string) => ((await api(server, 'GET', `/api/boards/${boardId}/${register}`, adminCredential)).body as { records: Record<string, unknown>[] }).records;
	const xlsxBytes = async (workbook: ExcelJS.Workbook) => new Uint8Array(await workbook.xlsx.writeBuffer());

	beforeAll(async () => {
		server = await startTestServer();
		expect((await api(server, 'POST', '/api/workspace/sample', adminCredential)).status).toBe(201);
		missionId = ((await api(server, 'POST', '/api/missions', { ...adminCredential, body: { title: 'Childcare' } })).body as { id: string }).id;
		boardId = ((await api(server, 'POST', `/api/missions/${missionId}/boards`, { ...adminCredential, body: { title: 'Expansion', departmentIds: ['dept-dfe'] } })).body as { id: string }).id;
	});
	afterAll(async () => {
		await server?.close();
	});

	it('previews the example workbook with a suggested mapping: every row will be created, nothing is written', async () => {
		const preview = await upload(example, { dryRun: true });
		expect(preview.status, JSON.stringify(preview.body.error)).toBe(200);
		expect(preview.body).toMatchObject({ dryRun: true, imported: false, mappingSource: 'suggested', totals: { create: 9, update: 0, unchanged: 0, invalid: 0 } });
		expect(preview.body.mapping.sheets['Read me']?.register).toBeNull();
		expect(preview.body.mapping.sheets.Risks).toMatchObject({ register: 'risks', key: 'ID', columns: { title: 'Title', cause: 'Cause', likelihood: 'Likelihood', proximity: 'Proximity', departments: 'Department' } });
		expect(preview.body.mapping.sheets.Issues?.register).toBe('blockers');
		expect(preview.body.rows.find((row) => row.key === 'R-001')).toMatchObject({ action: 'create', ref: 'RSK-1', sheet: 'Risks', row: 2 });
		expect(await records('risks')).toEqual([]);
	});

	it('imports every row in one go, reading dates written three ways, merged cells, words for statuses and ratings', async () => {
		const result = await upload(example);
		expect(result.status, JSON.stringify(result.body.error)).toBe(200);
		expect(result.body).toMatchObject({ imported: true, totals: { create: 9, invalid: 0 } });
		const risks = await records('risks');
		expect(risks.map((r) => [r.ref, r.title, r.likelihood, r.impact, r.proximity, r.status, r.importKey])).toEqual([
			['RSK-1', 'Not enough early-years staff', 'high', 'very_high', '2026-09-01', 'mitigating', 'R-001'],
			['RSK-2', 'Capital funding arrives late', 'medium', 'high', '2026-11-01', 'open', 'R-002'],
			['RSK-3', 'Eligibility checker fails at peak', 'low', 'high', '2026-08-15', 'open', 'R-003']
		]);
		expect(risks[0]).toMatchObject({ owner: { name: 'Priya Shah' }, departments: ['dept-dfe'], cause: 'Low pay in the sector', createdBy: { id: 'admin' } });
		const blockers = await records('blockers');
		expect(blockers.map((b) => [b.raisedOn, b.targetResolution, b.status, b.departments])).toEqual([
			['2026-02-03', '2026-02-28', 'in_progress', ['dept-dwp']],
			['2026-02-10', null, 'open', ['dept-dwp']]
		]);
		expect((await records('assumptions')).map((a) => [a.statement, a.validationDate, a.status])).toEqual([
			['Local authorities can hold sufficiency data monthly', '2026-06-30', 'unvalidated'],
			['Take-up follows the 2024 pilot curve', '2026-05-01', 'validated']
		]);
		expect((await records('dependencies')).map((d) => [d.providerDepartment, d.receiverDepartment, d.neededBy, d.forecast, d.rating, d.status])).toEqual([
			['dept-dwp', 'dept-dfe', '2026-07-01', '2026-07-20', 'amber_red', 'at_risk'],
			['dept-hmt', 'dept-dfe', '2026-09-01', '2026-09-01', 'green', 'agreed']
		]);
	});

	it('importing the same file again changes nothing; a changed cell updates that record only; the mapping is remembered', async () => {
		const again = await upload(example);
		expect(again.body.totals).toEqual({ create: 0, update: 0, unchanged: 9, invalid: 0 });
		expect(again.body.mappingSource).toBe('remembered');
		const workbook = await raidLogWorkbook();
		workbook.getWorksheet('Risks')!.getCell('L3').value = 'Closed';
		workbook.getWorksheet('Dependencies')!.getCell('J2').value = 'Red';
		const changed = await upload(await xlsxBytes(workbook));
		expect(changed.body.totals).toEqual({ create: 0, update: 2, unchanged: 7, invalid: 0 });
		expect(changed.body.rows.filter((row) => row.action === 'update').map((row) => [row.ref, row.changes])).toEqual([
			['RSK-2', ['status']],
			['DEP-1', ['rating']]
		]);
		expect((await records('risks')).map((r) => r.status)).toEqual(['mitigating', 'closed', 'open']);
		const dependency = (await records('dependencies'))[0] as { rating: string; ratingHistory: { rating: string }[] };
		expect([dependency.rating, dependency.ratingHistory.map((h) => h.rating)]).toEqual(['red', ['amber_red', 'red']]);
	});

	it('all or nothing: one bad row (unknown department, bad date, duplicate key, formula without a saved value) and nothing is written', async () => {
		const workbook = await raidLogWorkbook();
		const sheet = workbook.getWorksheet('Risks')!;
		sheet.addRow(['R-004', 'Ofsted capacity', 'x', 'y', 'z', 'Low', 'Low', null, '31/02/2026', 'Ann Lee', '', 'Open', 'Ministry of Magic']);
		sheet.addRow(['R-001', 'A second R-001', '', '', '', 'Low', 'Low', null, null, 'Ann Lee', '', 'Open', 'DfE']);
		sheet.addRow(['R-005', 'Formula owner', '', '', '', 'Low', 'Low', null, null, { formula: 'CONCAT("Ann"," Lee")' }, '', 'Open', 'DfE']);
		workbook.getWorksheet('Assumptions')!.addRow(['A-003', 'Brand new assumption', 'Ann Lee', null, 'Validated']);
		const before = (await records('risks')).length + (await records('assumptions')).length;
		const rejected = await upload(await xlsxBytes(workbook));
		expect(rejected.status).toBe(400);
		expect(rejected.body.error?.message).toMatch(/3 rows are invalid, so nothing was imported/);
		const reasons = rejected.body.error!.issues!.map((issue) => `${issue.path}: ${issue.message}`);
		expect(reasons).toEqual(expect.arrayContaining([
			expect.stringMatching(/^Risks row 5, Proximity: 2026-02-31 is not a calendar date/),
			expect.stringMatching(/^Risks row 5, Department: unknown department "Ministry of Magic"/),
			expect.stringMatching(/^Risks row 6, ID: the key "R-001" is used again: first on Risks row 2/),
			expect.stringMatching(/^Risks row 7, Owner: holds the formula =CONCAT/)
		]));
		expect((await records('risks')).length + (await records('assumptions')).length).toBe(before);
		const preview = await upload(await xlsxBytes(workbook), { dryRun: true });
		expect(preview.body.totals).toMatchObject({ create: 1, invalid: 3 });
	});

	it('CSV: formulas stay text (never evaluated); a register from the form; a BOM is fine', async () => {
		const csv = '\uFEFFKey,Title,Owner,Likelihood,Impact\nX-1,"=HYPERLINK(""http://evil.example"")",Ann Lee,H,M\nX-2,@SUM(1+1),Ann Lee,1,5\n';
		const result = await upload(csv, { name: 'risks.csv', type: 'text/csv', register: 'risks' });
		expect(result.status, JSON.stringify(result.body.error)).toBe(200);
		const imported = (await records('risks')).filter((r) => String(r.importKey).startsWith('X-'));
		expect(imported.map((r) => [r.title, r.likelihood, r.impact])).toEqual([
			['=HYPERLINK("http://evil.example")', 'high', 'medium'],
			['@SUM(1+1)', 'very_low', 'very_high']
		]);
	});

	it('refuses what it cannot read, with a clear error and no change', async () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
		const cases: [Promise<{ status: number; body: { error?: { message: string } } }>, RegExp][] = [
			[upload(png, { name: 'photo.png', type: 'image/png' }), /not a CSV or XLSX/],
			[upload(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), { name: 'old.xls' }), /old binary Excel/],
			[upload(new Uint8Array(50 * 1024 * 1024).fill(65), { name: 'huge.csv', type: 'text/csv' }), /too large/],
			[upload('', { name: 'empty.csv', type: 'text/csv' }), /empty/],
			[upload(example, { mapping: { sheets: { Risks: { register: 'risks', key: 'ID', columns: { title: 'No such column' } } } } }), /mapping does not fit/],
			[upload(example, { mapping: { sheets: { Risks: { register: 'spells', key: 'ID', columns: {} } } } }), /mapping is not valid/]
		];
		for (const [answer, message] of cases) {
			const { status, body } = await answer;
			expect(status, body.error?.message).toBe(400);
			expect(body.error?.message).toMatch(message);
		}
		const notMultipart = await api(server, 'POST', `/api/boards/${boardId}/import`, { ...adminCredential, body: { file: 'x' } });
		expect(notMultipart.status).toBe(400);
		const invite = await createInvite(server, { departmentId: 'dept-dfe', role: 'viewer' });
		const viewer = await redeem(server, invite.token, 'Vera Viewer');
		expect((await upload(example, { cookie: viewer.cookie, dryRun: true })).status).toBe(403);
	});

	it('imports 10,000 rows in one go', async () => {
		const lines = ['ID,Title,Owner,Likelihood,Impact,Proximity,Status'];
		for (let i = 1; i <= 10_000; i++) lines.push(`BULK-${i},Risk number ${i},Owner ${i % 50},${['Low', 'Medium', 'High'][i % 3]},${['Low', 'High'][i % 2]},${i % 2 ? '2027-01-15' : '15/01/2027'},Open`);
		const board = ((await api(server, 'POST', `/api/missions/${missionId}/boards`, { ...adminCredential, body: { title: 'Bulk' } })).body as { id: string }).id;
		const started = performance.now();
		const result = await upload(lines.join('\n'), { name: 'bulk-risks.csv', type: 'text/csv', register: 'risks', board });
		const took = performance.now() - started;
		expect(result.status, JSON.stringify(result.body.error)).toBe(200);
		expect(result.body.totals).toEqual({ create: 10_000, update: 0, unchanged: 0, invalid: 0 });
		const listed = (await api(server, 'GET', `/api/boards/${board}/risks`, adminCredential)).body as { records: unknown[] };
		expect(listed.records).toHaveLength(10_000);
		console.info(`imported 10,000 CSV rows in ${took.toFixed(0)} ms`);
	});
});
