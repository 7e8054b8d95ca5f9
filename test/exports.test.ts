/**
 * Exports read back with independent readers: the CSV with csv-parse, the XLSX with exceljs, the
 * HTML as text. Each is compared with the board's records from the API. Formula-looking text is
 * neutralised in CSV and stays a string in XLSX; filters and access follow the board.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, buildAccessFixture, type AccessFixture, adminCredential } from './access-fixture.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('exports: CSV, XLSX and HTML of boards and missions', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	let boardId: string;
	const admin = adminCredential;

	const download = async (path: string, cookie?: string) => {
		const response = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : { authorization: `Bearer ${admin.bearer}` } });
		return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
	};

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
		boardId = fixture.boardX.id;
		const { a, b } = fixture.departments;
		const dependency = (title: string, rating: string | null, neededBy: string) => ({
			title,
			providerDepartment: a,
			providerOwner: { name: 'Priya Shah' },
			receiverDepartment: b,
			receiverOwner: { name: 'Zoë Müller' },
			deliverable: 'Signed data-sharing agreement',
			neededBy,
			forecast: '2030-04-15',
			rating,
			narrative: 'Legal review, then sign-off'
		});
		for (const body of [
			dependency('Café capital settlement', 'red', '2030-03-01'),
			dependency('=HYPERLINK("http://evil.example","click")', 'amber', '2030-05-01'),
			dependency('+44 helpline routing', null, '2030-06-01'),
			dependency('@SUM(A1:A2) and <script>alert(1)</script>', 'green', '2030-07-01')
		]) {
			expect((await api(server, 'POST', `/api/boards/${boardId}/dependencies`, { ...admin, body })).status).toBe(201);
		}
		expect((await api(server, 'POST', `/api/boards/${boardId}/actions`, { ...admin, body: { text: '-1 headcount in the pilot', owner: { name: 'Tom Hughes' }, due: '2020-01-15' } })).status).toBe(201);
		expect((await api(server, 'POST', `/api/boards/${fixture.boardY.id}/actions`, { ...admin, body: { text: 'Agree the Y board plan', owner: { name: 'Ann Lee' }, due: '2031-02-01' } })).status).toBe(201);
	});
	afterAll(async () => {
		await server?.close();
	});

	it('CSV: UTF-8 with BOM, one row per record, ISO dates, names and words; formula-looking cells neutralised', async () => {
		const answer = await download(`/api/boards/${boardId}/export.csv?register=dependencies`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename=".+-dependencies-\d{4}-\d{2}-\d{2}\.csv"$/);
		expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const rows: Record<string, string>[] = parse(answer.bytes, { bom: true, columns: true });
		const board = (await api(server, 'GET', `/api/boards/${boardId}/dependencies`, admin)).body as { records: { ref: string; title: string; neededBy: string }[] };
		expect(rows.map((row) => row.Ref)).toEqual(board.records.map((record) => record.ref));
		const first = rows[0]!;
		expect(first).toMatchObject({ Title: 'Café capital settlement', 'Provider owner': 'Priya Shah', 'Receiver owner': 'Zoë Müller', 'Needed by': '2030-03-01', Forecast: '2030-04-15', 'Slip (days)': '45', Confidence: 'Red', Status: 'Proposed' });
		expect(first['Provider department']).toBe('Department Alpha');
		expect(first.Departments).toBe('Department Alpha; Department Beta');
		expect(first['Created at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(rows.map((row) => row.Title)).toEqual([
			'Café capital settlement',
			`'=HYPERLINK("http://evil.example","click")`,
			`'+44 helpline routing`,
			`'@SUM(A1:A2) and <script>alert(1)</script>`
		]);
		expect(rows[2]!.Confidence).toBe('Not rated');
		const actions: Record<string, string>[] = parse((await download(`/api/boards/${boardId}/export.csv?register=actions`)).bytes, { bom: true, columns: true });
		expect(actions[0]).toMatchObject({ Action: "'-1 headcount in the pilot", Due: '2020-01-15', Overdue: 'Yes', 'Re-plans': '0' });
	});

	it('CSV without a register, an unknown filter or a bad value is a clear 400', async () => {
		for (const path of [`export.csv`, `export.csv?register=risks-and-more`, `export.xlsx?colour=red`, `export.html?overdue=maybe`]) {
			const answer = await api(server, 'GET', `/api/boards/${boardId}/${path}`, admin);
			expect(answer.status, path).toBe(400);
			expect((answer.body as { error: { code: string } }).error.code).toBe('invalid_request');
		}
	});

	it('XLSX: a sheet per register, typed cells, frozen header with filters, ratings as words, formulas never made', async () => {
		const answer = await download(`/api/boards/${boardId}/export.xlsx`);
		expect(answer.status).toBe(200);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(answer.bytes as unknown as ArrayBuffer);
		expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Dependencies', 'Blockers', 'Actions', 'Decisions', 'Risks', 'Assumptions']);
		const sheet = workbook.getWorksheet('Dependencies')!;
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		expect(sheet.autoFilter).toBeTruthy();
		const headers = (sheet.getRow(1).values as unknown[]).slice(1);
		const cell = (row: number, header: string) => sheet.getRow(row).getCell(headers.indexOf(header) + 1);
		expect(sheet.rowCount).toBe(5);
		expect(cell(2, 'Ref').value).toBe('DEP-1');
		expect(cell(2, 'Confidence').value).toBe('Red');
		expect(cell(2, 'Needed by').value).toEqual(new Date('2030-03-01T00:00:00Z'));
		expect(cell(2, 'Needed by').numFmt).toBe('yyyy-mm-dd');
		expect(cell(2, 'Slip (days)').value).toBe(45);
		expect(cell(3, 'Title').type).toBe(ExcelJS.ValueType.String);
		expect(cell(3, 'Title').value).toBe('=HYPERLINK("http://evil.example","click")');
		expect(workbook.getWorksheet('Actions')!.rowCount).toBe(2);
	});

	it('HTML: captions, column and row headers, escaped text, a print stylesheet', async () => {
		const answer = await download(`/api/boards/${boardId}/export.html`);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
		// No scripts, nothing loaded: only the page's own stylesheet, by its hash.
		expect(answer.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; /);
		const html = answer.bytes.toString('utf8');
		expect(html).toMatch(/^<!doctype html>\n<html lang="en-GB">/);
		expect(html).toContain('<caption>Dependencies: 4 records</caption>');
		expect(html).toContain('<th scope="col">Confidence</th>');
		expect(html).toContain('<th scope="row">DEP-1</th>');
		expect(html).toContain('<span class="rating rating-red">Red</span>');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).not.toContain('<script>');
		expect(html).toContain('@media print');
		expect(html).toContain('No blockers match.');
	});

	it("applies the board's filters", async () => {
		const red: Record<string, string>[] = parse((await download(`/api/boards/${boardId}/export.csv?register=dependencies&rating=red`)).bytes, { bom: true, columns: true });
		expect(red.map((row) => row.Ref)).toEqual(['DEP-1']);
		const searched: Record<string, string>[] = parse((await download(`/api/boards/${boardId}/export.csv?register=dependencies&search=helpline`)).bytes, { bom: true, columns: true });
		expect(searched.map((row) => row.Ref)).toEqual(['DEP-3']);
		const overdue = (await download(`/api/boards/${boardId}/export.html?overdue=true&register=actions`)).bytes.toString('utf8');
		expect(overdue).toContain('<caption>Actions: 1 record</caption>');
		expect(overdue).toContain('late or overdue only');
		await api(server, 'DELETE', `/api/boards/${boardId}/dependencies/DEP-2`, admin);
		const live: Record<string, string>[] = parse((await download(`/api/boards/${boardId}/export.csv?register=dependencies`)).bytes, { bom: true, columns: true });
		expect(live.map((row) => row.Ref)).toEqual(['DEP-1', 'DEP-3', 'DEP-4']);
		const all: Record<string, string>[] = parse((await download(`/api/boards/${boardId}/export.csv?register=dependencies&archived=true`)).bytes, { bom: true, columns: true });
		expect(all.find((row) => row.Ref === 'DEP-2')?.Archived).toBe('Yes');
	});

	it("respects access: a board you cannot see is 404, and a mission export holds only the boards you can see", async () => {
		expect((await download(`/api/boards/${fixture.boardY.id}/export.xlsx`, fixture.editorA.cookie)).status).toBe(404);
		expect((await download(`/api/boards/${boardId}/export.xlsx`, fixture.viewerA.cookie)).status).toBe(200);
		expect((await api(server, 'GET', `/api/boards/${boardId}/export.html`)).status).toBe(401);

		const read = async (cookie?: string) => {
			const answer = await download(`/api/missions/${fixture.missionId}/export.xlsx`, cookie);
			expect(answer.status).toBe(200);
			const workbook = new ExcelJS.Workbook();
			await workbook.xlsx.load(answer.bytes as unknown as ArrayBuffer);
			const actions = workbook.getWorksheet('Actions')!;
			expect(actions.getRow(1).getCell(1).value).toBe('Board');
			return actions.getSheetValues().slice(2).map((row) => (row as unknown[])[1]);
		};
		expect((await read()).sort()).toEqual([fixture.boardX.title, fixture.boardY.title].sort());
		expect(await read(fixture.editorA.cookie)).toEqual([fixture.boardX.title]);
	});

	it('as at a past moment: the board as it stood then, in every format, for the mission too; refusals are clear', async () => {
		const before = Date.now();
		await new Promise((resolve) => setTimeout(resolve, 20));
		const added = await api(server, 'POST', `/api/boards/${boardId}/dependencies`, { ...admin, body: { title: 'Added after the moment', providerDepartment: fixture.departments.a, providerOwner: { name: 'Pat' }, receiverDepartment: fixture.departments.b, receiverOwner: { name: 'Sam' }, deliverable: 'x' } });
		expect(added.status).toBe(201);
		const renamed = await api(server, 'PATCH', `/api/boards/${boardId}/dependencies/DEP-1`, { ...admin, body: { title: 'Café capital settlement (renamed later)' } });
		expect(renamed.status, renamed.text).toBe(200);
		const moment = new Date(before).toISOString();

		const csv = await download(`/api/boards/${boardId}/export.csv?register=dependencies&asAt=${encodeURIComponent(moment)}`);
		expect(csv.status, csv.bytes.toString("utf8")).toBe(200);
		expect(csv.headers.get('content-disposition')).toMatch(/-dependencies-as-at-\d{8}-\d{4}\.csv"$/);
		const then: Record<string, string>[] = parse(csv.bytes, { bom: true, columns: true });
		expect(then.map((row) => row.Title)).not.toContain('Added after the moment');
		expect(then[0]?.Title).toBe('Café capital settlement');
		const now: Record<string, string>[] = parse((await download(`/api/boards/${boardId}/export.csv?register=dependencies`)).bytes, { bom: true, columns: true });
		expect(now.map((row) => row.Title)).toContain('Added after the moment');
		expect(now).toHaveLength(then.length + 1);

		const xlsx = await download(`/api/boards/${boardId}/export.xlsx?asAt=${encodeURIComponent(moment)}`);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
		expect(workbook.title).toContain('(as at ');
		const titles = workbook.getWorksheet('Dependencies')!.getSheetValues().slice(2).map((row) => String((row as unknown[])[2]));
		expect(titles).toHaveLength(then.length);
		expect(titles).not.toContain('Added after the moment');

		const html = (await download(`/api/boards/${boardId}/export.html?asAt=${encodeURIComponent(moment)}`)).bytes.toString('utf8');
		expect(html).toContain('As at');
		expect(html).toContain('not live');
		expect(html).not.toContain('Added after the moment');

		const mission = await download(`/api/missions/${fixture.missionId}/export.csv?register=dependencies&asAt=${encodeURIComponent(moment)}`);
		expect(mission.status).toBe(200);
		expect((parse(mission.bytes, { bom: true, columns: true }) as Record<string, string>[]).map((row) => row.Title)).not.toContain('Added after the moment');

		// The future, before the board existed, nonsense, and a board you cannot see.
		const future = new Date(Date.now() + 86_400_000).toISOString();
		expect((await api(server, 'GET', `/api/boards/${boardId}/export.xlsx?asAt=${future}`, admin)).status).toBe(400);
		expect((await api(server, 'GET', `/api/boards/${boardId}/export.xlsx?asAt=2001-01-01`, admin)).status).toBe(404);
		expect((await api(server, 'GET', `/api/boards/${boardId}/export.xlsx?asAt=yesterday`, admin)).status).toBe(400);
		expect((await download(`/api/boards/${fixture.boardY.id}/export.xlsx?asAt=${encodeURIComponent(moment)}`, fixture.editorA.cookie)).status).toBe(404);
	});
});
