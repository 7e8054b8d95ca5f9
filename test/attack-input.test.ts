/**
 * Issue 10, item 7: one text rule for every name and title (no control or formatting characters
 * such as NUL or U+202E, no lone surrogates, no line breaks), in the zod schemas the API and the
 * board documents share; and a body past the size limit is answered 413, not "not valid JSON".
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredential, api, buildAccessFixture, type AccessFixture } from './access-fixture.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const badStrings = {
	nul: 'Mission\u0000One',
	rightToLeftOverride: '\u202Egnp.exe',
	zeroWidth: 'Board\u200BX',
	loneSurrogate: 'Broken \uD800 name',
	lineBreak: 'Two\nlines',
	lineSeparator: 'Two\u2028lines',
	escape: 'Bell\u001B[31m'
} as const;

/** Sends a raw body in chunks (no Content-Length), as a streaming client would. */
function chunkedPost(url: string, totalBytes: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } });
		request.on('response', (response) => {
			let body = '';
			response.on('data', (chunk: Buffer) => (body += chunk.toString()));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
		});
		request.on('error', reject);
		const chunk = Buffer.alloc(65_536, 'a');
		request.write('{"title":"');
		let sent = 0;
		const pump = () => {
			while (sent < totalBytes) {
				sent += chunk.length;
				if (!request.write(chunk)) return void request.once('drain', pump);
			}
			request.end('"}');
		};
		pump();
	});
}

describe('input hygiene (issue 10, item 7)', () => {
	let server: TestServer;
	let fixture: AccessFixture;

	beforeAll(async () => {
		server = await startTestServer();
		fixture = await buildAccessFixture(server);
	});
	afterAll(async () => {
		await server?.close();
	});

	it.each(Object.entries(badStrings))('refuses %s in mission, board, department, record and meeting names and titles', async (_name, bad) => {
		const attempts = [
			api(server, 'POST', '/api/missions', { ...adminCredential, body: { title: bad } }),
			api(server, 'PATCH', `/api/missions/${fixture.missionId}`, { ...adminCredential, body: { title: bad } }),
			api(server, 'PATCH', `/api/boards/${fixture.boardX.id}`, { ...adminCredential, body: { title: bad } }),
			api(server, 'POST', '/api/departments', { ...adminCredential, body: { name: bad, code: 'BAD', colour: '#123456' } }),
			api(server, 'POST', '/api/departments', { ...adminCredential, body: { name: 'Fine name', code: bad.slice(0, 12), colour: '#123456' } }),
			api(server, 'POST', `/api/boards/${fixture.boardX.id}/actions`, { ...adminCredential, body: { text: 'Send the model', title: bad, owner: { name: 'Ann' }, due: '2030-01-01' } }),
			api(server, 'POST', `/api/boards/${fixture.boardX.id}/actions`, { ...adminCredential, body: { text: 'Send the model', owner: { name: bad }, due: '2030-01-01' } }),
			api(server, 'POST', '/api/meetings', { cookie: fixture.lead.cookie, headers: { origin: server.url }, body: { missionId: fixture.missionId, forum: bad } })
		];
		const answers = await Promise.all(attempts);
		expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 400));
		for (const answer of answers) expect(answer.body).toMatchObject({ error: { code: 'invalid_request' } });
		// Nothing was made.
		const missions = (await api(server, 'GET', '/api/missions', adminCredential)).body as { missions: Array<{ title: string }> };
		expect(JSON.stringify(missions)).not.toContain(JSON.stringify(bad).slice(1, -1));
	});

	it('a 10 MB body is answered 413 with the JSON error, with or without Content-Length', async () => {
		const big = { title: 'x'.repeat(10 * 1024 * 1024) };
		const withLength = await api(server, 'POST', '/api/missions', { ...adminCredential, body: big });
		expect(withLength.status).toBe(413);
		expect(withLength.body).toMatchObject({ error: { code: 'payload_too_large' } });
		const streamed = await chunkedPost(`${server.url}/api/missions`, 10 * 1024 * 1024, { authorization: `Bearer ${adminCredential.bearer}` });
		expect(streamed.status).toBe(413);
		expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'payload_too_large' } });
		// And the server carries on.
		expect((await api(server, 'POST', '/api/missions', { ...adminCredential, body: { title: 'After the flood' } })).status).toBe(201);
	});
});
