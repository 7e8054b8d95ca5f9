/**
 * The meeting pack through the API: the HTML agenda before the meeting ends and the record after
 * it, and the PDF read back with a PDF text extractor (unpdf): real text, tagged, the same items
 * as the board. Access follows the mission's boards.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, adminCredential, buildAccessFixture, type AccessFixture } from './access-fixture.ts';
import { startTestServer, testAdminToken, type TestServer } from './helpers/server.ts';

describe('meeting pack (HTML and tagged PDF)', () => {
	let server: TestServer;
	let fixture: AccessFixture;
	let meetingId: string;
	const admin = adminCredential;

	const download = async (path: string, cookie?: string) => {
		const response = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : { authorization: `Bearer ${testAdminToken}` } });
		return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
	};
	const pdfText = async (bytes: Uint8Array) => {
		const pdf = await getDocumentProxy(bytes);
		const { text } = await extractText(pdf, { mergePages: true });
		return { text: text.replace(/\s+/g, ' '), pdf };
	};

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
		const { a, b } = fixture.departments;
		const x = fixture.boardX.id;
		const post = async (path: string, body: unknown) => {
			const answer = await api(server, 'POST', path, { ...admin, body });
			if (answer.status >= 300) throw new Error(`${path}: ${answer.text}`);
			return answer.body as { id: string; ref: string; meetingId?: string };
		};
		// The last Missions Board, ended before anything below happened: the pack opens with what changed since.
		const december = await post('/api/meetings', { missionId: fixture.missionId, forum: 'Missions Board', title: 'December stocktake', date: '2030-01-01', boardId: x });
		await post(`/api/meetings/${december.meetingId}/end`, {});
		const target = await post(`/api/missions/${fixture.missionId}/targets`, { metric: { name: 'Apprentices starting', unit: 'thousand', better: 'higher' }, baseline: { date: '2029-01-01', value: 100 }, target: { date: '2031-01-01', value: 300 } });
		await post(`/api/missions/${fixture.missionId}/milestones`, { title: 'Levy reform live', owner: { name: 'Priya Shah' }, date: '2030-06-30', targetIds: [target.id] });
		await post(`/api/boards/${x}/dependencies`, { title: 'Apprenticeship levy data', providerDepartment: a, providerOwner: { name: 'Priya Shah' }, receiverDepartment: b, receiverOwner: { name: 'Tom Hughes' }, deliverable: 'Levy extract', neededBy: '2030-03-01', forecast: '2030-04-01', rating: 'red', narrative: 'HMRC feed slipping' });
		await post(`/api/boards/${x}/dependencies`, { title: 'Green and on time', providerDepartment: a, providerOwner: { name: 'Priya Shah' }, receiverDepartment: b, receiverOwner: { name: 'Tom Hughes' }, deliverable: 'x', neededBy: '2030-06-01', rating: 'green' });
		const blocker = await post(`/api/boards/${x}/blockers`, { title: 'No data-sharing gateway', owner: { name: 'Tom Hughes' }, unblocker: 'Permanent secretary', raisedOn: '2030-01-02' });
		await post(`/api/boards/${x}/blockers/${blocker.ref}/escalations`, { level: 'ministers', on: '2030-01-20', forum: 'Programme board' });
		await post(`/api/boards/${x}/actions`, { text: 'Send the levy extract spec to HMRC', owner: { name: 'Priya Shah' }, due: '2030-01-10' });
		await post(`/api/boards/${x}/actions`, { text: 'Book the ministerial meeting', owner: { name: 'Tom Hughes' }, due: '2030-02-05' });
		await post(`/api/boards/${fixture.boardY.id}/actions`, { text: 'Housing action on board Y', owner: { name: 'Ann Lee' }, due: '2030-01-05' });
		const meeting = (await api(server, 'POST', '/api/meetings', { ...admin, body: { missionId: fixture.missionId, forum: 'Missions Board', title: 'January stocktake', date: '2030-02-01', boardId: x } })).body as { meetingId: string };
		meetingId = meeting.meetingId;
	});
	afterAll(async () => {
		await server?.close();
	});

	it('before the meeting ends: an HTML agenda with red and late dependencies, escalated blockers, overdue and due actions', async () => {
		const answer = await download(`/api/meetings/${meetingId}/pack.html`);
		expect(answer.status).toBe(200);
		expect(answer.type).toBe('text/html; charset=utf-8');
		const html = Buffer.from(answer.bytes).toString('utf8');
		expect(html).toContain('<title>January stocktake: agenda</title>');
		expect(html).toContain('<caption>Red and late dependencies: 1 record</caption>');
		const dependencies = html.slice(html.indexOf('<caption>Red and late dependencies'), html.indexOf('<caption>Escalated blockers'));
		expect(dependencies).toContain('Apprenticeship levy data');
		expect(dependencies).not.toContain('Green and on time');
		expect(html).toContain('<caption>Escalated blockers: 1 record</caption>');
		expect(html).toContain('Ministers');
		expect(html).toMatch(/<caption>Overdue actions: 2 records<\/caption>/);
		expect(html).toContain('Housing action on board Y');
		expect(html).toContain('<caption>Actions due in the next 14 days: 1 record</caption>');
		expect(html).not.toContain('Decisions made');
		// Since the last Missions Board (December): every record created since, board by board.
		expect(html).toMatch(/<caption>Since the last Missions Board: 7 records<\/caption>/);
		expect(html).toContain('since the last Missions Board (December stocktake, 2030-01-01)');
		expect(html.indexOf('Since the last Missions Board')).toBeLessThan(html.indexOf('Red and late dependencies'));
		// The mission's targets and milestones.
		expect(html).toContain('<caption>Targets: 1 record</caption>');
		expect(html).toContain('Apprentices starting');
		expect(html).toContain('<caption>Milestones: 1 record</caption>');
		expect(html).toContain('Levy reform live');
	});

	it('after the meeting: the record adds the decisions made and actions created; the PDF has the same text, tagged', async () => {
		const capture = async (body: unknown) => expect((await api(server, 'POST', `/api/meetings/${meetingId}/records`, { ...admin, body })).status).toBe(201);
		await capture({ kind: 'decision', text: 'Escalate the gateway to the Chief Secretary', decisionMakers: ['Minister for Skills'] });
		await capture({ kind: 'action', text: 'Draft the letter to the Chief Secretary', owner: 'Priya Shah', due: '2030-02-08' });
		expect((await api(server, 'POST', `/api/meetings/${meetingId}/end`, admin)).status).toBe(200);

		const html = Buffer.from((await download(`/api/meetings/${meetingId}/pack.html`)).bytes).toString('utf8');
		expect(html).toContain('<title>January stocktake: record</title>');
		expect(html).toContain('<caption>Decisions made: 1 record</caption>');
		expect(html).toContain('Escalate the gateway to the Chief Secretary');
		expect(html).toContain('<caption>Actions created: 1 record</caption>');

		const answer = await download(`/api/meetings/${meetingId}/pack.pdf`);
		expect(answer.status).toBe(200);
		expect(answer.type).toBe('application/pdf');
		expect(Buffer.from(answer.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
		const raw = Buffer.from(answer.bytes).toString('latin1');
		expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
		expect(raw).toContain('/Marked true');
		expect(raw).toContain('/StructTreeRoot');
		expect(raw).toMatch(/\/Lang \(en-GB\)/);
		const { text, pdf } = await pdfText(answer.bytes);
		// Up to the meeting's end, the changes since December include what it decided and agreed (7 + 2).
		for (const expected of ['January stocktake: record', 'Since the last Missions Board (9)', 'Targets (1)', 'Apprentices starting', 'Milestones (1)', 'Levy reform live', 'Red and late dependencies (1)', 'Apprenticeship levy data', 'Escalated blockers (1)', 'Decisions made (1)', 'Escalate the gateway to the Chief Secretary', 'Draft the letter to the Chief Secretary', 'Housing action on board Y']) {
			expect(text).toContain(expected);
		}
		expect(text.slice(text.indexOf('Red and late dependencies (1)'), text.indexOf('Escalated blockers (1)'))).not.toContain('Green and on time');
		expect((await pdf.getMetadata()).info).toMatchObject({ Title: 'January stocktake: record' });
	});

	it("a reader sees only their department's boards in the pack; an unknown meeting is a JSON 404", async () => {
		const html = Buffer.from((await download(`/api/meetings/${meetingId}/pack.html`, fixture.editorA.cookie)).bytes).toString('utf8');
		expect(html).toContain('Apprenticeship levy data');
		expect(html).not.toContain('Housing action on board Y');
		expect(html).not.toContain(fixture.boardY.title);
		const missing = await api(server, 'GET', '/api/meetings/NoSuchMeeting1/pack.pdf', admin);
		expect(missing.status).toBe(404);
		expect((missing.body as { error: { code: string } }).error.code).toBe('not_found');
	});
});
