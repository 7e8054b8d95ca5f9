import { error, fail, redirect } from '@sveltejs/kit';
import { signInPath } from '#lib/protocol/sign-in-next.ts';
import { webhookEventType, type WebhookEventType } from '#lib/protocol/webhooks.ts';
import { backend } from '#lib/server/backend.ts';
import { ukDateTime } from '../../../access/format.ts';
import type { Actions, PageServerLoad } from './$types';
import { sentence } from '#lib/protocol/sentence.ts';

/** A mission's webhooks (leads): each with its events, boards, state and delivery log. No side effects. */
export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
	const { dateLocale } = await parent();
	const principal = locals.principal;
	if (!principal) redirect(303, signInPath(url));
	const known = (cause: unknown) => {
		const failure = backend().failureOf(cause);
		if (failure?.code === 'not_found') error(404, { message: 'There is no such mission.', code: 'not_found' });
		if (failure?.code === 'forbidden') error(403, { message: 'Only Missions Unit leads can manage webhooks.', code: 'forbidden' });
		throw cause;
	};
	const hooks = await backend().webhooks.list(principal, params.id).catch(known);
	const mission = await backend().workspace.getMission(principal, params.id);
	const logs = await Promise.all(hooks.map((hook) => backend().webhooks.get(principal, params.id, hook.id)));
	const boardTitle = new Map(mission.boards.map((board) => [board.id, board.title]));
	return {
		mission: { id: mission.id, title: mission.title, boards: mission.boards.filter((board) => !board.archived).map(({ id, title }) => ({ id, title })) },
		hooks: logs.map((hook) => ({
			id: hook.id,
			url: hook.url,
			description: hook.description,
			events: hook.events,
			boards: hook.boardIds.length === 0 ? 'every board' : hook.boardIds.map((id) => boardTitle.get(id) ?? 'a removed board').join(', '),
			owner: hook.ownerName,
			enabled: hook.enabled,
			disabledReason: hook.disabledReason,
			created: ukDateTime(hook.createdAt, dateLocale),
			deliveries: hook.deliveries.map((delivery) => ({
				id: delivery.id,
				type: delivery.type,
				status: delivery.status,
				attempts: delivery.attempts,
				when: ukDateTime(delivery.createdAt, dateLocale),
				answer: delivery.lastStatus === null ? (delivery.lastError ?? '—') : `HTTP ${delivery.lastStatus}${delivery.lastError ? ` · ${delivery.lastError}` : ''}`
			}))
		}))
	};
};

function failure(form: string, cause: unknown, values: Record<string, unknown> = {}) {
	const known = backend().failureOf(cause);
	if (!known || known.status >= 500) throw cause;
	const detail = known.issues?.map((issue) => `${issue.path ? `${issue.path}: ` : ''}${issue.message}`).join('; ');
	return fail(known.status, { form, ok: false as const, message: sentence(detail ? `${known.message}: ${detail}` : known.message), ...values });
}

export const actions: Actions = {
	create: async ({ request, locals, params }) => {
		if (!locals.principal) redirect(303, '/login');
		const data = await request.formData();
		const url = String(data.get('url') ?? '').slice(0, 2_100);
		const description = String(data.get('description') ?? '').slice(0, 300);
		const events = data.getAll('events').map(String).filter((value): value is WebhookEventType => webhookEventType.safeParse(value).success);
		const boardIds = data.getAll('boardIds').map(String);
		try {
			const hook = await backend().webhooks.create(locals.principal, params.id, { url, events, boardIds, description });
			return { form: 'create', ok: true as const, message: `Webhook to ${hook.url} registered.`, secret: hook.secret };
		} catch (cause) {
			return failure('create', cause, { url, description });
		}
	},
	toggle: async ({ request, locals, params }) => {
		if (!locals.principal) redirect(303, '/login');
		const data = await request.formData();
		const enabled = data.get('enabled') === 'true';
		try {
			await backend().webhooks.patch(locals.principal, params.id, String(data.get('id') ?? ''), { enabled });
			return { form: 'list', ok: true as const, message: enabled ? 'Webhook turned on: it delivers new events again.' : 'Webhook turned off.' };
		} catch (cause) {
			return failure('list', cause);
		}
	},
	ping: async ({ request, locals, params }) => {
		if (!locals.principal) redirect(303, '/login');
		try {
			await backend().webhooks.ping(locals.principal, params.id, String((await request.formData()).get('id') ?? ''));
			return { form: 'list', ok: true as const, message: 'A test delivery (ping) is on its way; reload to see it in the log.' };
		} catch (cause) {
			return failure('list', cause);
		}
	},
	delete: async ({ request, locals, params }) => {
		if (!locals.principal) redirect(303, '/login');
		try {
			await backend().webhooks.delete(locals.principal, params.id, String((await request.formData()).get('id') ?? ''));
			return { form: 'list', ok: true as const, message: 'Webhook deleted, with its delivery log.' };
		} catch (cause) {
			return failure('list', cause);
		}
	}
};
