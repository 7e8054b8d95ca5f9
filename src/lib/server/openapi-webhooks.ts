/**
 * The OpenAPI table of webhooks (routes under `/api/missions/{id}/webhooks`; schemas from
 * `src/lib/protocol/webhooks.ts`). See docs/webhooks.md.
 */
import { createdWebhook, createWebhookInput, patchWebhookInput, webhookDelivery, webhookPayload, webhookView, webhookWithLog } from '#lib/protocol/webhooks.ts';
import { listOf, objectOf, ref, type ApiOperation, type ApiSpec, type NamedSchema } from './openapi-helpers.ts';

const schemas: Record<string, NamedSchema> = {
	Webhook: { schema: webhookView, io: 'output' },
	WebhookCreated: { schema: createdWebhook, io: 'output' },
	WebhookCreate: { schema: createWebhookInput, io: 'input' },
	WebhookPatch: { schema: patchWebhookInput, io: 'input' },
	WebhookDelivery: { schema: webhookDelivery, io: 'output' },
	WebhookWithLog: { schema: webhookWithLog, io: 'output' },
	WebhookPayload: { schema: webhookPayload, io: 'output' }
};

export function webhooksSpec(): ApiSpec {
	const tag = 'webhooks';
	const operations: ApiOperation[] = [
		{ method: 'get', path: '/api/missions/{id}/webhooks', summary: 'The mission’s webhooks, without their secrets (leads)', tag, response: { status: 200, schema: listOf('webhooks', 'Webhook') }, errors: [403, 404] },
		{
			method: 'post',
			path: '/api/missions/{id}/webhooks',
			summary: 'Register an HTTPS endpoint for chosen events, optionally only some boards; the answer carries the signing secret, shown once. Deliveries are POSTs of a WebhookPayload signed with X-MC-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">. Private, loopback and reserved addresses are refused (leads)',
			tag,
			body: 'WebhookCreate',
			response: { status: 201, schema: ref('WebhookCreated') },
			errors: [400, 403, 404]
		},
		{ method: 'get', path: '/api/missions/{id}/webhooks/{hookId}', summary: 'One webhook and its delivery log: the last 100 deliveries, newest first, with status, attempts and the receiver’s last answer (leads)', tag, response: { status: 200, schema: ref('WebhookWithLog') }, errors: [403, 404] },
		{ method: 'patch', path: '/api/missions/{id}/webhooks/{hookId}', summary: 'Change its events, boards or description, or turn it off and on (turning it on makes the caller its owner) (leads)', tag, body: 'WebhookPatch', response: { status: 200, schema: ref('Webhook') }, errors: [400, 403, 404, 409] },
		{ method: 'delete', path: '/api/missions/{id}/webhooks/{hookId}', summary: 'Delete a webhook and its delivery log (leads)', tag, response: { status: 204, description: 'deleted' }, errors: [403, 404] },
		{ method: 'post', path: '/api/missions/{id}/webhooks/{hookId}/ping', summary: 'Queue a signed `ping` delivery now, to check the receiver (leads)', tag, response: { status: 202, schema: objectOf({ deliveryId: { type: 'string' } }) }, errors: [403, 404] }
	];
	return { tags: [tag], schemas, operations };
}
