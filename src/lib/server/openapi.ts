/**
 * The OpenAPI 3.1 description of the JSON API, generated from the same zod schemas the routes
 * validate with (`z.toJSONSchema`), so the document cannot drift from the code. Each area lists
 * its endpoints in one table (`openapi-workspace.ts`, `openapi-access.ts`, `openapi-meetings.ts`);
 * this module merges them. `GET /api/openapi.json` serves the result, and a test checks that every
 * `+server.ts` under `src/routes/api` is in it.
 */
import { apiErrorBody, ref, toJsonSchema, type ApiOperation, type ApiSpec, type JsonSchema, type NamedSchema } from './openapi-helpers.ts';
import { accessSpec } from './openapi-access.ts';
import { identitySpec } from './openapi-identity.ts';
import { asAtQuery, historySpec } from './openapi-history.ts';
import { meetingsSpec } from './openapi-meetings.ts';
import { missionsSpec } from './openapi-missions.ts';
import { workspaceSpec } from './openapi-workspace.ts';
import { dataSpec } from './openapi-data.ts';
import { webhooksSpec } from './openapi-webhooks.ts';

const errorText: Record<number, string> = {
	400: 'invalid request: bad JSON, wrong content type, or a body that fails validation (see `issues`)',
	401: 'no valid credential',
	403: 'not allowed for your role, or read-only for you',
	404: 'no such item, or not one you can see',
	409: 'conflicts with the current state',
	429: 'too many attempts; wait and try again'
};

const paramText: Record<string, string> = {
	id: 'the id of the item',
	ref: 'a short reference such as DEP-12 (also a former one) or a record id',
	departmentId: 'a department id',
	missionId: 'a mission id',
	sessionId: 'a session id',
	targetId: 'a target id',
	milestoneId: 'a milestone id',
	target: 'the linked record: a short ref such as BLK-3 or a record id'
};

function operationId(operation: ApiOperation): string {
	const words = operation.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ? next.toUpperCase() : ''));
	return `${operation.method}${words}`;
}

/** Every area's spec; the OpenAPI document and the completeness test read this. */
export function apiSpecs(): ApiSpec[] {
	return [workspaceSpec(), accessSpec(), identitySpec(), meetingsSpec(), historySpec(), missionsSpec(), dataSpec(), webhooksSpec()];
}

/** The OpenAPI 3.1 document. */
export function openApiDocument(version: string): JsonSchema {
	const specs = apiSpecs();
	const named: Record<string, NamedSchema> = { Error: { schema: apiErrorBody, io: 'output' } };
	for (const spec of specs) Object.assign(named, spec.schemas);
	const schemas = Object.fromEntries(Object.entries(named).map(([name, { schema, io }]) => [name, toJsonSchema(schema, io)]));
	const paths: Record<string, Record<string, unknown>> = {};
	for (const operation of specs.flatMap((spec) => spec.operations)) {
		const parameters = [
			...[...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, description: paramText[name!] ?? name, schema: { type: 'string' } })),
			...(operation.query ?? []).map((query) => ({ name: query.name, in: 'query', required: query.required ?? false, description: query.description, schema: query.schema }))
		];
		const responses: Record<string, unknown> = {};
		const success = operation.response ?? { status: 200 };
		const content = success.media
			? Object.fromEntries(Object.entries(success.media).map(([type, schema]) => [type, { schema }]))
			: success.schema
				? { 'application/json': { schema: success.schema } }
				: undefined;
		responses[String(success.status)] = { description: success.description ?? 'OK', ...(content ? { content } : {}) };
		for (const status of [...new Set([...operation.errors, ...(operation.public ? [] : [401])])].sort((a, b) => a - b)) {
			responses[String(status)] = { description: errorText[status] ?? 'error', content: { 'application/json': { schema: ref('Error') } } };
		}
		paths[operation.path] ??= {};
		paths[operation.path]![operation.method] = {
			summary: operation.summary,
			tags: [operation.tag],
			operationId: operationId(operation),
			...(parameters.length > 0 ? { parameters } : {}),
			...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(operation.body) } } } } : {}),
			...(operation.bodyMedia ? { requestBody: { required: true, content: Object.fromEntries(Object.entries(operation.bodyMedia).map(([type, schema]) => [type, { schema }])) } } : {}),
			responses,
			...(operation.boardAction ? { 'x-board-action': operation.boardAction } : {}),
			...(operation.public ? { security: [] } : {})
		};
	}
	return {
		openapi: '3.1.0',
		info: {
			title: 'Mission Control API',
			version,
			description:
				'Missions, boards, departments and board records (dependencies, blockers, actions, decisions); people, invites, tokens and wall displays; meetings. Every body is JSON; every error is `{ error: { code, message, issues? } }`. Writes to records go through the live board document, so people on the board see them at once. See docs/api.md.'
		},
		servers: [{ url: '/' }],
		security: [{ bearer: [] }, { session: [] }],
		tags: [...new Set(specs.flatMap((spec) => spec.tags))].map((name) => ({ name })),
		paths,
		components: {
			securitySchemes: {
				bearer: { type: 'http', scheme: 'bearer', description: 'an API token, the admin token, or a wall-display token (read-only)' },
				session: { type: 'apiKey', in: 'cookie', name: 'mc_session', description: 'the browser session cookie' }
			},
			schemas
		}
	};
}
