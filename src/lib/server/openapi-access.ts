/**
 * The OpenAPI table of identity and access: who am I, sessions, people, invites, API tokens and
 * wall displays (routes by the access layer; schemas from `src/lib/protocol/workspace.ts`).
 */
import { z } from 'zod';
import {
	apiTokenView,
	createApiTokenInput,
	createInviteInput,
	createWallDisplayInput,
	invitePreview,
	inviteView,
	issuedToken,
	meView,
	patchPersonInput,
	personView,
	redeemInviteInput,
	sessionView,
	wallDisplayView
} from '#lib/protocol/workspace.ts';
import { listOf, objectOf, ref, type ApiOperation, type ApiSpec, type NamedSchema } from './openapi-helpers.ts';

const schemas: Record<string, NamedSchema> = {
	Me: { schema: meView, io: 'output' },
	Session: { schema: sessionView, io: 'output' },
	Person: { schema: personView, io: 'output' },
	PersonPatch: { schema: patchPersonInput, io: 'input' },
	Invite: { schema: inviteView, io: 'output' },
	InviteCreate: { schema: createInviteInput, io: 'input' },
	InvitePreview: { schema: invitePreview, io: 'output' },
	InviteToken: { schema: z.strictObject({ token: issuedToken }), io: 'input' },
	InviteRedeem: { schema: redeemInviteInput, io: 'input' },
	ApiToken: { schema: apiTokenView, io: 'output' },
	ApiTokenCreate: { schema: createApiTokenInput, io: 'input' },
	WallDisplay: { schema: wallDisplayView, io: 'output' },
	WallDisplayCreate: { schema: createWallDisplayInput, io: 'input' }
};

const secret = { type: 'string', description: 'the secret: shown in this answer only' };

export function accessSpec(): ApiSpec {
	const operations: ApiOperation[] = [
		{ method: 'get', path: '/api/me', summary: 'Who am I: the caller, their department and the boards they can open', tag: 'access', response: { status: 200, schema: ref('Me') }, errors: [] },
		{ method: 'get', path: '/api/me/sessions', summary: 'Your sessions (`current` marks this one)', tag: 'access', response: { status: 200, schema: listOf('sessions', 'Session') }, errors: [] },
		{ method: 'delete', path: '/api/me/sessions/{id}', summary: 'End one of your sessions (`current`: this one); its connections close', tag: 'access', response: { status: 204, description: 'ended' }, errors: [403, 404] },
		{ method: 'get', path: '/api/people', summary: 'Everyone who joined (leads)', tag: 'people', response: { status: 200, schema: listOf('people', 'Person') }, errors: [403] },
		{ method: 'get', path: '/api/people/{id}', summary: 'One person (leads)', tag: 'people', response: { status: 200, schema: ref('Person') }, errors: [403, 404] },
		{ method: 'patch', path: '/api/people/{id}', summary: 'Rename, move or change the role of a person (leads)', tag: 'people', body: 'PersonPatch', response: { status: 200, schema: ref('Person') }, errors: [400, 403, 404] },
		{ method: 'delete', path: '/api/people/{id}', summary: 'Remove a person: their sessions and tokens end (leads)', tag: 'people', response: { status: 204, description: 'removed' }, errors: [403, 404] },
		{ method: 'get', path: '/api/people/{id}/sessions', summary: "A person's sessions (leads)", tag: 'people', response: { status: 200, schema: listOf('sessions', 'Session') }, errors: [403, 404] },
		{ method: 'delete', path: '/api/people/{id}/sessions/{sessionId}', summary: "End one of a person's sessions (leads)", tag: 'people', response: { status: 204, description: 'ended' }, errors: [403, 404] },
		{ method: 'get', path: '/api/invites', summary: 'Every invite and board join link with its status (leads)', tag: 'invites', response: { status: 200, schema: listOf('invites', 'Invite') }, errors: [403] },
		{ method: 'post', path: '/api/invites', summary: 'Create an invite for a department with a role; with boardId a board join link; with email, for one person, sent to that address (leads)', tag: 'invites', body: 'InviteCreate', response: { status: 201, schema: objectOf({ invite: ref('Invite'), token: secret, link: { type: 'string' }, sent: { type: 'boolean', description: 'the link was queued to the invite’s email address' } }) }, errors: [400, 403, 404] },
		{ method: 'delete', path: '/api/invites/{id}', summary: 'Withdraw an invite (leads)', tag: 'invites', response: { status: 200, schema: objectOf({ invite: ref('Invite') }) }, errors: [403, 404] },
		{ method: 'post', path: '/api/invites/preview', summary: "Who invited whom to what, for a link's token (rate limited)", tag: 'invites', body: 'InviteToken', response: { status: 200, schema: ref('InvitePreview') }, errors: [400, 404, 429], public: true },
		{ method: 'post', path: '/api/invites/redeem', summary: 'Redeem an invite: a new person and a session cookie (rate limited)', tag: 'invites', body: 'InviteRedeem', response: { status: 201, schema: objectOf({ person: { type: 'object' }, path: { type: 'string' } }) }, errors: [400, 404, 409, 429], public: true },
		{ method: 'get', path: '/api/tokens', summary: 'Your API tokens; `?all=true` lists everyone’s (leads)', tag: 'tokens', query: [{ name: 'all', description: 'every token (leads)', schema: { type: 'string', enum: ['true', 'false'] } }], response: { status: 200, schema: listOf('tokens', 'ApiToken') }, errors: [403] },
		{ method: 'post', path: '/api/tokens', summary: 'Issue a token for your own scripts', tag: 'tokens', body: 'ApiTokenCreate', response: { status: 201, schema: objectOf({ apiToken: ref('ApiToken'), token: secret }) }, errors: [400, 403] },
		{ method: 'delete', path: '/api/tokens/{id}', summary: 'Revoke a token (yours, or any for a lead)', tag: 'tokens', response: { status: 200, schema: objectOf({ apiToken: ref('ApiToken') }) }, errors: [403, 404] },
		{ method: 'get', path: '/api/wall-displays', summary: 'Every wall display (leads)', tag: 'wall displays', response: { status: 200, schema: listOf('wallDisplays', 'WallDisplay') }, errors: [403] },
		{ method: 'post', path: '/api/wall-displays', summary: 'A read-only device token for a wall screen, scoped to missions or boards (leads)', tag: 'wall displays', body: 'WallDisplayCreate', response: { status: 201, schema: objectOf({ wallDisplay: ref('WallDisplay'), token: secret, link: { type: 'string' } }) }, errors: [400, 403] },
		{ method: 'delete', path: '/api/wall-displays/{id}', summary: 'Revoke a wall display (leads)', tag: 'wall displays', response: { status: 200, schema: objectOf({ wallDisplay: ref('WallDisplay') }) }, errors: [403, 404] }
	];
	return { tags: ['access', 'people', 'invites', 'tokens', 'wall displays'], schemas, operations };
}
