import { apiHandler, ok, requirePrincipal } from '#lib/server/api-errors.ts';
import { backend } from '#lib/server/backend.ts';

/** Whether the sample mission is loaded (`{ sample: null }` when not). */
export const GET = apiHandler(async ({ locals }) => {
	requirePrincipal(locals);
	return ok({ sample: (await backend().workspace.sampleState()) ?? null });
});

/** Loads the sample mission with its targets, milestones and confidence (leads); 409 when it is already loaded. */
export const POST = apiHandler(async ({ locals }) => {
	const principal = requirePrincipal(locals);
	const sample = await backend().workspace.loadSample(principal);
	await backend().missions.addSample(principal, sample);
	return ok({ sample }, 201);
});

/** Removes the sample mission, its boards and documents, and sample departments nothing else uses. */
export const DELETE = apiHandler(async ({ locals }) => {
	const principal = requirePrincipal(locals);
	const removed = await backend().workspace.removeSample(principal);
	return ok({ removed });
});
