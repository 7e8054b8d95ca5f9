/**
 * The OpenAPI table of sign-in by email, the approval queue of single sign-on and the people
 * directory (routes by `server/identity/`; schemas from `src/lib/protocol/identity.ts`).
 * Single sign-on itself (`GET /login/oidc/<id>` and its callback) is pages, not JSON: docs/identity.md.
 */
import { z } from 'zod';
import { accessRequest, approveAccessInput, directoryEntry, emailSignInAnswer, emailSignInInput } from '#lib/protocol/identity.ts';
import { myWork } from '#lib/protocol/my-work.ts';
import { markReadInput, notificationPreferences, notificationView } from '#lib/protocol/notifications.ts';
import { personView } from '#lib/protocol/workspace.ts';
import { listOf, objectOf, ref, type ApiOperation, type ApiSpec, type NamedSchema } from './openapi-helpers.ts';

const schemas: Record<string, NamedSchema> = {
	EmailSignIn: { schema: emailSignInInput, io: 'input' },
	EmailSignInAnswer: { schema: emailSignInAnswer, io: 'output' },
	AccessRequest: { schema: accessRequest, io: 'output' },
	AccessApproval: { schema: approveAccessInput, io: 'input' },
	DirectoryEntry: { schema: directoryEntry, io: 'output' },
	MyWork: { schema: myWork, io: 'output' },
	Notification: { schema: notificationView, io: 'output' },
	NotificationsRead: { schema: markReadInput, io: 'input' },
	NotificationPreferences: { schema: notificationPreferences, io: 'output' },
	NotificationPreferencesInput: { schema: notificationPreferences, io: 'input' },
	ApprovedPerson: { schema: z.object({ person: personView.omit({ principalId: true, sessions: true }) }), io: 'output' }
};

export function identitySpec(): ApiSpec {
	const operations: ApiOperation[] = [
		{
			method: 'post',
			path: '/api/sign-in/email',
			summary: 'Ask for a sign-in link by email: 202 whether or not the address belongs to anyone (rate limited per client and per address)',
			tag: 'sign-in',
			body: 'EmailSignIn',
			public: true,
			response: { status: 202, schema: ref('EmailSignInAnswer') },
			errors: [400, 404, 429]
		},
		{
			method: 'post',
			path: '/api/me/email',
			summary: 'Give my email address (I joined without one): a single-use link valid for 15 minutes confirms it and makes it mine (404 without mail, 409 when I have one)',
			tag: 'sign-in',
			body: 'EmailSignIn',
			response: { status: 202, schema: ref('EmailSignInAnswer') },
			errors: [400, 401, 403, 404, 409, 429]
		},
		{ method: 'get', path: '/api/access-requests', summary: 'People waiting to be let in after single sign-on (leads)', tag: 'sign-in', response: { status: 200, schema: listOf('requests', 'AccessRequest') }, errors: [403] },
		{ method: 'post', path: '/api/access-requests/{id}/approve', summary: 'Let a waiting person in, with a department and role (leads)', tag: 'sign-in', body: 'AccessApproval', response: { status: 200, schema: ref('ApprovedPerson') }, errors: [400, 403, 404, 409] },
		{ method: 'post', path: '/api/access-requests/{id}/decline', summary: 'Decline a waiting request (leads)', tag: 'sign-in', response: { status: 200, schema: objectOf({ declined: { type: 'boolean' } }) }, errors: [403, 404, 409] },
		{
			method: 'post',
			path: '/api/people/match-owners',
			summary: 'Tie free-text owners on every board to the one person of the workspace with that name; safe to run again (leads)',
			tag: 'people',
			response: { status: 200, schema: objectOf({ boards: { type: 'integer' }, matched: { type: 'integer' }, ambiguous: { type: 'array', items: { type: 'string' } }, unmatched: { type: 'integer' } }) },
			errors: [403]
		},
		{ method: 'get', path: '/api/me/work', summary: 'My work: records I own, my department’s dependencies, blockers waiting on me, actions due or overdue, mentions; with counts', tag: 'access', response: { status: 200, schema: ref('MyWork') }, errors: [403] },
		{ method: 'get', path: '/api/me/notifications', summary: 'My notifications, newest first (the last 100), and how many are unread', tag: 'access', response: { status: 200, schema: objectOf({ notifications: { type: 'array', items: ref('Notification') }, unread: { type: 'integer' } }) }, errors: [403] },
		{ method: 'post', path: '/api/me/notifications/read', summary: 'Mark notifications read: `{ ids }` or `{ all: true }`', tag: 'access', body: 'NotificationsRead', response: { status: 200, schema: objectOf({ unread: { type: 'integer' } }) }, errors: [400, 403] },
		{ method: 'get', path: '/api/me/notifications/preferences', summary: 'My email settings per kind of event and the daily digest', tag: 'access', response: { status: 200, schema: ref('NotificationPreferences') }, errors: [403] },
		{ method: 'put', path: '/api/me/notifications/preferences', summary: 'Change my email settings (immediate, digest or off per kind; the daily digest)', tag: 'access', body: 'NotificationPreferencesInput', response: { status: 200, schema: ref('NotificationPreferences') }, errors: [400, 403] },
		{ method: 'get', path: '/api/people/directory', summary: 'The people of the workspace for owner pickers and @mentions (any signed-in person)', tag: 'people', response: { status: 200, schema: listOf('people', 'DirectoryEntry') }, errors: [403] }
	];
	return { tags: ['sign-in'], schemas, operations };
}
