/**
 * Mission tracking through the real JSON API of a real server: targets with trajectories and
 * actuals (JSON and CSV, good and bad rows), milestones put at risk by linked dependencies and
 * blockers, delivery confidence with server-stamped history, the Missions Board view, and who may
 * do what (leads, the source department's editors and their API tokens, viewers, advisers, walls,
 * people outside the mission).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateBlocker } from '#lib/board/board-doc.ts';
import { addComment } from '#lib/board/comments.ts';
import { addDays, isoDateAt } from '#lib/board/dates.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import { adminPrincipal } from '../server/auth/principal.ts';
import { adminCredential, api, buildAccessFixture, createInvite, docClient, redeem, rejectedCount, socketClient, storedDoc, type AccessFixture, type Credential, type Person } from './access-fixture.ts';
import { eventually } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const today = isoDateAt(Date.now());
const day = (offset: number) => addDays(today, offset);

describe('mission tracking API', () => {
	let server: TestServer;
	let world: AccessFixture;
	let adviser: Person;
	let outsider: Person;
	let targetId: string;
	const as = (person: Person): Credential => ({ cookie: person.cookie });
	const call = (credential: Credential, method: string, path: string, body?: unknown) => api(server, method, path, { ...credential, body });
	async function fetchCsv(credential: Credential, path: string, text: string) {
		const headers: Record<string, string> = { 'content-type': 'text/csv' };
		if (credential.cookie) headers.cookie = credential.cookie;
		if (credential.bearer) headers.authorization = `Bearer ${credential.bearer}`;
		const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: text });
		return { status: response.status, body: (await response.json()) as any };
	}

	beforeAll(async () => {
		server = await startTestServer();
		world = await buildAccessFixture(server);
		const advisory = (await call(adminCredential, 'POST', '/api/departments', { name: 'Advisory board', code: 'ADV', colour: '#445566' })).body as { id: string };
		await call(adminCredential, 'POST', `/api/boards/${world.boardX.id}/departments`, { departmentId: advisory.id });
		adviser = await redeem(server, (await createInvite(server, { departmentId: advisory.id, role: 'adviser' })).token, 'Ada Adviser');
		const elsewhere = (await call(adminCredential, 'POST', '/api/departments', { name: 'Elsewhere', code: 'ELS', colour: '#556677' })).body as { id: string };
		outsider = await redeem(server, (await createInvite(server, { departmentId: elsewhere.id, role: 'editor' })).token, 'Otto Outside');
	});
	afterAll(async () => {
		await server?.close();
	});

	const base = () => `/api/missions/${world.missionId}`;
	const homes = () => ({
		metric: { name: 'Skilled workers trained', unit: 'thousand', better: 'higher' },
		baseline: { date: day(-400), value: 100 },
		target: { date: day(1000), value: 500 },
		source: 'DfE further education statistics',
		sourceDepartmentId: world.departments.a,
		trajectory: [{ date: day(0), value: 200 }]
	});

	it('sets a target: status no_data and no projected date until actuals arrive', async () => {
		const created = await call(as(world.lead), 'POST', `${base()}/targets`, homes());
		expect(created.status).toBe(201);
		const target = created.body as any;
		targetId = target.id;
		expect(target).toMatchObject({ missionId: world.missionId, status: 'no_data', projectedDate: null, latest: null, createdBy: world.lead.principalId });
		expect(target.history).toEqual([expect.objectContaining({ by: world.lead.principalId, byName: 'Lena Lead', summary: expect.stringContaining('set the target') })]);
		const listed = await call(as(world.editorA), 'GET', `${base()}/targets`);
		expect((listed.body as any).targets.map((t: { id: string }) => t.id)).toEqual([targetId]);
	});

	it('refuses inconsistent targets with every issue named, and saves nothing', async () => {
		const before = day(-500);
		const bad = await call(as(world.lead), 'POST', `${base()}/targets`, { ...homes(), target: { date: before, value: 500 }, trajectory: [{ date: day(-450), value: 1 }] });
		expect(bad.status).toBe(400);
		expect((bad.body as any).error.issues).toEqual([
			{ path: 'target.date', message: `the target date ${before} must be after the baseline date ${day(-400)}` },
			expect.objectContaining({ path: 'trajectory.0.date', message: expect.stringContaining("outside the target's dates") })
		]);
		const outside = await call(as(world.lead), 'PATCH', `${base()}/targets/${targetId}`, { trajectory: [{ date: day(2000), value: 600 }] });
		expect(outside.status).toBe(400);
		expect((outside.body as any).error.issues[0].path).toBe('trajectory.0.date');
		const wrongType = await call(as(world.lead), 'POST', `${base()}/targets`, { ...homes(), baseline: { date: day(-400), value: '100' } });
		expect(wrongType.status).toBe(400);
		expect((wrongType.body as any).error.issues[0].path).toBe('baseline.value');
		expect(((await call(as(world.lead), 'GET', `${base()}/targets`)).body as any).targets).toHaveLength(1);
		const target = (await call(as(world.lead), 'GET', `${base()}/targets/${targetId}`)).body as any;
		expect(target.trajectory).toEqual([{ date: day(0), value: 200 }]);
	});

	it('records actuals as JSON (one or a list) and computes status, gap and projected date', async () => {
		const one = await call(as(world.lead), 'POST', `${base()}/targets/${targetId}/actuals`, { date: day(-200), value: 140 });
		expect(one.status).toBe(201);
		const list = await call(as(world.lead), 'POST', `${base()}/targets/${targetId}/actuals`, [{ date: day(-100), value: 150 }, { date: day(-1), value: 160 }]);
		expect(list.status).toBe(201);
		const target = list.body as any;
		expect(target.actuals.map((a: { date: string }) => a.date)).toEqual([day(-200), day(-100), day(-1)]);
		expect(target.status).toBe('behind');
		expect(target.behindBy).toBeGreaterThan(30);
		expect(target.projectedDate > target.target.date).toBe(true);
		expect(target.actuals[0]).toMatchObject({ by: world.lead.principalId, byName: 'Lena Lead' });
	});

	it('refuses non-numeric actuals, duplicated dates and future dates, naming the entry; nothing half-saved', async () => {
		const path = `${base()}/targets/${targetId}/actuals`;
		const nan = await call(as(world.lead), 'POST', path, [{ date: day(-10), value: 1 }, { date: day(-9), value: 'twelve' }]);
		expect(nan.status).toBe(400);
		expect((nan.body as any).error.issues).toEqual([{ path: '1.value', message: expect.any(String) }]);
		const duplicate = await call(as(world.lead), 'POST', path, [{ date: day(-10), value: 1 }, { date: day(-10), value: 2 }, { date: day(5), value: 3 }]);
		expect(duplicate.status).toBe(400);
		expect((duplicate.body as any).error.issues.map((issue: { message: string }) => issue.message)).toEqual([`entry 2: the date ${day(-10)} is also on entry 1`, `entry 3: ${day(5)} is in the future (today is ${today})`]);
		const stamped = await call(as(world.lead), 'POST', path, { date: day(-10), value: 1, by: 'person:someone-else' });
		expect(stamped.status).toBe(400);
		expect(((await call(as(world.lead), 'GET', `${base()}/targets/${targetId}`)).body as any).actuals).toHaveLength(3);
	});

	it('imports actuals from CSV: good rows all at once, bad rows named by row and field with none saved', async () => {
		const path = `${base()}/targets/${targetId}/actuals`;
		const bad = await fetchCsv(adminCredential, path, `date,value\n${day(-50)},155\n${day(-40)},abc\n${day(-50)},157\n2026-02-30,1\n`);
		expect(bad.status).toBe(400);
		expect(bad.body.error.issues).toEqual([
			{ path: 'row 3.value', message: 'row 3, value: "abc" is not a number' },
			{ path: 'row 5.date', message: 'row 5, date: "2026-02-30" is not a date as yyyy-mm-dd' }
		]);
		const duplicated = await fetchCsv(adminCredential, path, `date,value\n${day(-50)},155\n${day(-50)},157\n`);
		expect(duplicated.status).toBe(400);
		expect(duplicated.body.error.issues[0].message).toBe(`row 3: the date ${day(-50)} is also on row 2`);
		const columns = await fetchCsv(adminCredential, path, 'when,amount\n2026-01-01,3\n');
		expect(columns.status).toBe(400);
		expect(columns.body.error.issues[0].path).toBe('row 1');
		expect(((await call(adminCredential, 'GET', `${base()}/targets/${targetId}`)).body as any).actuals).toHaveLength(3);

		const good = await fetchCsv(adminCredential, path, `date,value\n${day(-50)},155\n${day(-1)},170\n`);
		expect(good.status).toBe(201);
		expect(good.body.actuals).toHaveLength(4);
		expect(good.body.actuals.find((a: { date: string }) => a.date === day(-1)).value).toBe(170);
		expect(good.body.history.at(-1)).toMatchObject({ by: 'admin', summary: expect.stringMatching(/recorded 2 actuals .*correcting 1 from CSV/), changes: expect.arrayContaining([{ field: `actuals.${day(-1)}`, before: 160, after: 170 }]) });
	});

	it('lets the source department’s editors and their API tokens push actuals; nobody else who is not a lead', async () => {
		const path = `${base()}/targets/${targetId}/actuals`;
		const token = (await call(as(world.editorA), 'POST', '/api/tokens', { name: 'DfE statistics feed' })).body as { token: string };
		const pushed = await call({ bearer: token.token }, 'POST', path, { date: today, value: 175 });
		expect(pushed.status).toBe(201);
		expect((pushed.body as any).actuals.at(-1)).toMatchObject({ by: world.editorA.principalId, byName: 'Edna Alpha', value: 175 });
		expect((await call(as(world.viewerA), 'POST', path, { date: today, value: 1 })).status).toBe(403);
		expect((await call(as(adviser), 'POST', path, { date: today, value: 1 })).status).toBe(403);
		expect((await call(as(world.editorB), 'POST', path, { date: today, value: 1 })).status).toBe(403);
		expect((await call(as(outsider), 'POST', path, { date: today, value: 1 })).status).toBe(404);
		expect((await call({ bearer: world.wall.token }, 'POST', path, { date: today, value: 1 })).status).toBe(403);
		expect((await call(as(world.editorA), 'PATCH', `${base()}/targets/${targetId}`, { source: 'changed' })).status).toBe(403);
	});

	it('flags milestones at risk from linked dependencies and blockers, with the reasons in words', async () => {
		const created = await call(as(world.lead), 'POST', `${base()}/milestones`, { title: 'First cohort trained', date: day(60), owner: { name: 'Priya Shah' }, targetIds: [targetId] });
		expect(created.status).toBe(201);
		const milestone = created.body as any;
		expect(milestone).toMatchObject({ atRisk: false, reasons: [], status: 'not_started' });
		const badTarget = await call(as(world.lead), 'POST', `${base()}/milestones`, { title: 'x', date: day(1), targetIds: ['nosuchtarget'] });
		expect(badTarget.status).toBe(400);
		expect((badTarget.body as any).error.issues[0].path).toBe('targetIds.0');

		const someone = { name: 'Sam Provider' };
		const dependency = await call(as(world.editorA), 'POST', `/api/boards/${world.boardX.id}/dependencies`, {
			title: 'Training places funded',
			providerDepartment: world.departments.a,
			providerOwner: someone,
			receiverDepartment: world.departments.b,
			receiverOwner: someone,
			deliverable: 'Funding letters',
			forecast: day(90),
			rating: 'red',
			milestones: [milestone.id]
		});
		expect(dependency.status).toBe(201);
		const depRef = (dependency.body as any).ref;
		const blocker = await call(as(world.editorA), 'POST', `/api/boards/${world.boardX.id}/blockers`, { title: 'No data share', owner: someone, unblocker: 'Ministers', raisedOn: day(-30), targetResolution: day(-2), milestones: [milestone.id] });
		expect(blocker.status).toBe(201);
		const blockerBody = blocker.body as any;
		await server.backend.hub.transact(boardDocName(world.boardX.id), adminPrincipal, (doc) => escalateBlocker(doc, blockerBody.id, { level: 'missions_board', on: day(-1), forum: 'Missions Board' }, { name: 'Administrator', id: 'admin' }));

		const listed = (await call(as(world.editorA), 'GET', `${base()}/milestones`)).body as any;
		const seen = listed.milestones.find((m: { id: string }) => m.id === milestone.id);
		expect(seen.atRisk).toBe(true);
		expect(seen.reasons.map((reason: { message: string }) => reason.message)).toEqual([
			expect.stringMatching(new RegExp(`^${depRef} forecast .* is after the milestone's `)),
			expect.stringMatching(new RegExp(`^${blockerBody.ref} is still open past its target resolution`))
		]);
		expect(seen.linked.map((record: { ref: string }) => record.ref).sort()).toEqual([blockerBody.ref, depRef].sort());

		// Board Y's editor cannot see board X, so its records are no evidence for them.
		const fromY = (await call(as(world.editorB), 'GET', `${base()}/milestones`)).body as any;
		expect(fromY.milestones.find((m: { id: string }) => m.id === milestone.id)).toMatchObject({ atRisk: false, reasons: [], linked: [] });

		const done = await call(as(world.lead), 'PATCH', `${base()}/milestones/${milestone.id}`, { status: 'done' });
		expect(done.body).toMatchObject({ atRisk: false, status: 'done' });
		await call(as(world.lead), 'PATCH', `${base()}/milestones/${milestone.id}`, { status: 'in_progress' });
	});

	it('links and unlinks board records to a milestone from the mission side, for leads only', async () => {
		const milestone = ((await call(as(world.lead), 'GET', `${base()}/milestones`)).body as any).milestones[0];
		const someone = { name: 'Sam Provider' };
		const dependency = (await call(as(world.editorB), 'POST', `/api/boards/${world.boardY.id}/dependencies`, { title: 'Land released', providerDepartment: world.departments.b, providerOwner: someone, receiverDepartment: world.departments.a, receiverOwner: someone, deliverable: 'Sites', forecast: day(400) })).body as any;
		const path = `${base()}/milestones/${milestone.id}/links`;
		expect((await call(as(adviser), 'POST', path, { boardId: world.boardY.id, ref: dependency.ref })).status).toBe(403);
		expect((await call(as(world.lead), 'POST', path, { boardId: world.boardY.id, ref: 'ACT-1' })).status).toBe(400);
		expect((await call(as(world.lead), 'POST', path, { boardId: world.boardY.id, ref: 'DEP-999' })).status).toBe(404);
		const linked = await call(as(world.lead), 'POST', path, { boardId: world.boardY.id, ref: dependency.ref });
		expect(linked.status).toBe(201);
		const onBoardY = (body: any) => body.reasons.filter((reason: { boardId?: string }) => reason.boardId === world.boardY.id).map((reason: { ref: string }) => reason.ref);
		expect(onBoardY(linked.body)).toEqual([dependency.ref]);
		const stored = (await call(as(world.lead), 'GET', `/api/boards/${world.boardY.id}/dependencies/${dependency.ref}`)).body as any;
		expect(stored).toMatchObject({ milestones: [milestone.id], updatedBy: { id: world.lead.principalId } });
		const unlinked = await call(as(world.lead), 'DELETE', path, { boardId: world.boardY.id, ref: dependency.ref });
		expect(unlinked.status).toBe(200);
		expect(onBoardY(unlinked.body)).toEqual([]);
	});

	it('keeps delivery-confidence judgements with narrative, who and when, on the workspace scale', async () => {
		const first = await call(as(world.lead), 'POST', `${base()}/confidence`, { level: 'amber', narrative: 'Funding slipped a quarter' });
		expect(first.status).toBe(201);
		const second = await call(as(world.lead), 'POST', `${base()}/confidence`, { level: 'red', narrative: 'Data share still blocked' });
		expect((second.body as any).confidenceHistory.map((j: { level: string; byName: string }) => [j.level, j.byName])).toEqual([['amber', 'Lena Lead'], ['red', 'Lena Lead']]);
		const offScale = await call(as(world.lead), 'POST', `${base()}/confidence`, { level: 'amber_green' });
		expect(offScale.status).toBe(400);
		expect((offScale.body as any).error.issues[0].path).toBe('level');
		expect((await call(as(world.editorA), 'POST', `${base()}/confidence`, { level: 'green' })).status).toBe(403);
		const milestones = (await call(as(world.lead), 'GET', `${base()}/milestones`)).body as any;
		const judged = await call(as(world.lead), 'POST', `${base()}/milestones/${milestones.milestones[0].id}/confidence`, { level: 'amber', narrative: 'Depends on DEP funding' });
		expect((judged.body as any).confidence).toMatchObject({ level: 'amber', by: world.lead.principalId });
	});

	it('keeps leadership with its history, and lets advisers read but never change it', async () => {
		const patched = await call(as(world.lead), 'PATCH', `${base()}/leadership`, { ceo: { name: 'Dame Alex Morgan' }, minister: { name: 'Rt Hon Sam Jones MP' }, advisers: [{ name: 'Ada Adviser', personId: adviser.id }] });
		expect(patched.status).toBe(200);
		expect((patched.body as any).history.at(-1)).toMatchObject({ by: world.lead.principalId, summary: 'changed the mission CEO, the sponsoring minister, the advisory board' });
		const read = await call(as(adviser), 'GET', `${base()}/tracking`);
		expect(read.status).toBe(200);
		expect((read.body as any).profile.ceo).toEqual({ name: 'Dame Alex Morgan' });
		for (const [method, path, body] of [
			['PATCH', `${base()}/leadership`, { ceo: null }],
			['POST', `${base()}/targets`, homes()],
			['POST', `${base()}/milestones`, { title: 'x', date: day(1) }],
			['POST', `${base()}/confidence`, { level: 'green' }],
			['POST', `/api/boards/${world.boardX.id}/dependencies`, { title: 'x' }]
		] as const) {
			expect((await call(as(adviser), method, path, body)).status, `${method} ${path}`).toBe(403);
		}
		expect((await call(as(outsider), 'GET', `${base()}/tracking`)).status).toBe(404);
		expect((await call(as(outsider), 'GET', `${base()}/targets/${targetId}`)).status).toBe(404);
	});

	it('lets an adviser read a board on every door and change nothing: pages, API, /yjs, socket.io', async () => {
		expect((await api(server, 'GET', `/boards/${world.boardX.id}`, as(adviser))).status).toBe(200);
		const boardData = await api(server, 'GET', `/boards/${world.boardX.id}/__data.json`, as(adviser));
		expect(boardData.text).toContain('advisers comment but do not edit');
		expect((await call(as(adviser), 'GET', `/api/boards/${world.boardX.id}/dependencies`)).status).toBe(200);
		expect((await call(as(adviser), 'PATCH', `/api/boards/${world.boardX.id}`, { title: 'x' })).status).toBe(403);
		// The leadership above lists the adviser: every board of the mission is theirs to read, not only their department's.
		expect((await call(as(adviser), 'GET', `/api/boards/${world.boardY.id}/dependencies`)).status).toBe(200);

		const docName = boardDocName(world.boardX.id);
		const observer = docClient(server, docName, adminCredential);
		const client = docClient(server, docName, as(adviser));
		try {
			await Promise.all([observer.synced, client.synced]);
			expect(client.doc.getMap('dependencies').size).toBeGreaterThan(0);
			const before = await rejectedCount(server, 'read_only');
			client.doc.getMap('probe').set('adviser wrote', 'x');
			await eventually(async () => expect(await rejectedCount(server, 'read_only')).toBeGreaterThan(before));
			observer.doc.getMap('probe').set('after adviser', 'y');
			await eventually(() => expect(client.doc.getMap('probe').get('after adviser')).toBe('y'));
			expect(observer.doc.getMap('probe').has('adviser wrote')).toBe(false);
			expect((await storedDoc(server, docName)).getMap('probe').has('adviser wrote')).toBe(false);
		} finally {
			client.destroy();
			observer.destroy();
		}

		const socket = await socketClient(server, as(adviser));
		try {
			expect(await socket.emitWithAck('board:join', { boardId: world.boardX.id })).toMatchObject({ ok: true });
			expect(await socket.emitWithAck('board:join', { boardId: world.boardY.id })).toMatchObject({ ok: true, access: 'read' });
		} finally {
			socket.close();
		}
	});

	it('lets an adviser comment through the API and nothing else: a stock y-websocket client writing a comment is refused', async () => {
		const records = (await call(as(adviser), 'GET', `/api/boards/${world.boardX.id}/dependencies`)).body as { records: { id: string; ref: string; comments: unknown[] }[] };
		const dependency = records.records[0]!;
		const path = `/api/boards/${world.boardX.id}/dependencies/${dependency.ref}`;

		// The attack first: the adviser's own websocket writes a well-formed comment into the document.
		const docName = boardDocName(world.boardX.id);
		const observer = docClient(server, docName, adminCredential);
		const client = docClient(server, docName, as(adviser));
		try {
			await Promise.all([observer.synced, client.synced]);
			const before = await rejectedCount(server, 'read_only');
			addComment(client.doc, 'dependencies', dependency.id, { text: 'Written over the websocket' }, { id: adviser.principalId, name: 'Ada Adviser' });
			await eventually(async () => expect(await rejectedCount(server, 'read_only')).toBeGreaterThan(before));
			const stored = (await storedDoc(server, docName)).getMap('dependencies').toJSON() as Record<string, { comments?: { text: string }[] }>;
			expect(JSON.stringify(stored[dependency.id]?.comments ?? [])).not.toContain('Written over the websocket');

			// Through the API's comment route the adviser's comment lands, attributed, live.
			const commented = await call(as(adviser), 'POST', `${path}/comments`, { text: 'The advisory board asks for the revised cost model' });
			expect(commented.status, commented.text).toBe(201);
			const thread = (commented.body as { comments: { text: string; author: { name: string } }[] }).comments;
			expect(thread.at(-1)).toMatchObject({ text: 'The advisory board asks for the revised cost model', author: { name: 'Ada Adviser' } });
			await eventually(() => expect(JSON.stringify(observer.doc.getMap('dependencies').toJSON())).toContain('The advisory board asks for the revised cost model'));
		} finally {
			client.destroy();
			observer.destroy();
		}

		// Every other write stays refused; a board the adviser cannot read stays unseen; bad input is named.
		expect((await call(as(adviser), 'PATCH', path, { status: 'at_risk' })).status).toBe(403);
		expect((await call(as(adviser), 'POST', `${path}/ratings`, { rating: 'red' })).status).toBe(403);
		expect((await call(as(adviser), 'POST', `${path}/archive`)).status).toBe(403);
		expect((await call(as(adviser), 'POST', `/api/boards/${world.boardX.id}/dependencies`, { title: 'x' })).status).toBe(403);
		expect((await call(as(adviser), 'DELETE', path)).status).toBe(403);
		// A board of a mission they do not advise, which their department has not joined, stays unseen.
		const elsewhere = (await call(adminCredential, 'POST', '/api/missions', { title: 'A mission they do not advise' })).body as { id: string };
		const unseenBoard = (await call(adminCredential, 'POST', `/api/missions/${elsewhere.id}/boards`, { title: 'Unseen board', departmentIds: [world.departments.a] })).body as { id: string };
		expect((await call(as(adviser), 'POST', `/api/boards/${unseenBoard.id}/dependencies/DEP-1/comments`, { text: 'x' })).status).toBe(404);
		expect((await call(adminCredential, 'PATCH', `/api/missions/${elsewhere.id}`, { archived: true })).status).toBe(200);
		const empty = await call(as(adviser), 'POST', `${path}/comments`, { text: '' });
		expect(empty.status).toBe(400);
		expect((empty.body as { error: { code: string } }).error.code).toBe('invalid_request');
		// The adviser's API token acts as the adviser: it may comment, and only comment.
		const token = ((await call(as(adviser), 'POST', '/api/tokens', { name: 'Advisory board notes' })).body as { token: string }).token;
		expect((await call({ bearer: token }, 'POST', `${path}/comments`, { text: 'From the advisory board’s tracker' })).status).toBe(201);
		expect((await call({ bearer: token }, 'PATCH', path, { status: 'at_risk' })).status).toBe(403);
		// A viewer still may not comment.
		expect((await call(as(world.viewerA), 'POST', `${path}/comments`, { text: 'x' })).status).toBe(403);
	});

	it('gives the Missions Board view across the missions each caller can see', async () => {
		const other = (await call(adminCredential, 'POST', '/api/missions', { title: 'Safer streets' })).body as { id: string };
		const lead = (await call(as(world.lead), 'GET', '/api/portfolio')).body as any;
		expect(lead.missions.map((m: { title: string }) => m.title)).toEqual(['Kickstart growth', 'Safer streets']);
		const growth = lead.missions[0];
		expect(growth).toMatchObject({ ceo: { name: 'Dame Alex Morgan' }, confidence: { level: 'red' }, milestones: { total: 1, atRisk: 1 }, boards: 2 });
		expect(growth.targets[0]).toMatchObject({ id: targetId, status: expect.stringMatching(/^(behind|on_track)$/), projectedDate: expect.any(String) });
		expect(growth.milestonesAtRisk[0].reasons.length).toBeGreaterThan(0);
		expect(growth.redDependencies.map((d: { title: string }) => d.title)).toEqual(['Training places funded']);
		expect(growth.escalatedBlockers.map((b: { title: string }) => b.title)).toEqual(['No data share']);
		const picked = (await call(as(world.lead), 'GET', `/api/portfolio?missions=${other.id}`)).body as any;
		expect(picked.missions.map((m: { id: string }) => m.id)).toEqual([other.id]);
		expect((await call(as(world.lead), 'GET', '/api/portfolio?missions=../etc')).status).toBe(400);
		const outsiders = (await call(as(outsider), 'GET', '/api/portfolio')).body as any;
		expect(outsiders.missions).toEqual([]);
		const advisers = (await call(as(adviser), 'GET', '/api/portfolio')).body as any;
		expect(advisers.missions.map((m: { title: string }) => m.title)).toEqual(['Kickstart growth']);
	});

	it('gives the sample mission realistic targets, milestones at risk and confidence', async () => {
		const loaded = await call(adminCredential, 'POST', '/api/workspace/sample');
		expect(loaded.status).toBe(201);
		const missionId = (loaded.body as any).sample.missionId;
		const tracking = (await call(adminCredential, 'GET', `/api/missions/${missionId}/tracking`)).body as any;
		expect(tracking.profile.ceo.name).toBe('Dame Helen Okafor');
		expect(tracking.targets.map((t: { status: string }) => t.status)).toEqual(['behind', 'on_track', 'no_data']);
		expect(tracking.targets[1].reachesTargetInTime).toBe(true);
		const reasons = tracking.milestones.flatMap((m: { reasons: { kind: string }[] }) => m.reasons.map((r) => r.kind));
		expect(reasons).toEqual(expect.arrayContaining(['dependency_forecast', 'blocker_overdue']));
		expect(tracking.milestones.filter((m: { status: string }) => m.status === 'done')).toHaveLength(1);
		expect(tracking.profile.confidence.level).toBe('amber');
		expect(tracking.profile.confidenceHistory).toHaveLength(2);
		expect((await call(adminCredential, 'DELETE', '/api/workspace/sample')).status).toBe(200);
		await expect.poll(async () => (await server.backend.missions.targets.list()).filter((t) => t.missionId === missionId).length).toBe(0);
	});

	it('describes every mission-tracking route in the OpenAPI document', async () => {
		const document = (await call(adminCredential, 'GET', '/api/openapi.json')).body as any;
		expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/missions/{id}/targets', '/api/missions/{id}/targets/{targetId}', '/api/missions/{id}/targets/{targetId}/actuals', '/api/missions/{id}/milestones', '/api/portfolio']));
		expect(document.components.schemas.Target.properties).toHaveProperty('projectedDate');
		expect(document.components.schemas.Milestone.properties).toHaveProperty('atRisk');
	});
});
