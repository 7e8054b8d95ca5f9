/**
 * Query parameters of the history API (`GET /api/boards/:id/history`, `…/:register/:ref/history`) and
 * of `?asAt=`: validated once here, for the routes and the OpenAPI document.
 */
import { z } from 'zod';
import { registerName } from './registers.ts';

/** An ISO 8601 date-time (`2026-11-12T14:00:00Z`) or date (`2026-11-12`, read as its start in UTC), as epoch ms. */
export const moment = z
	.string()
	.max(40)
	.refine((value) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && Number.isFinite(Date.parse(value)), 'an ISO date-time such as 2026-11-12T14:00:00Z')
	.transform((value) => Date.parse(value));

export const historyQuery = z.strictObject({
	since: moment.optional(),
	until: moment.optional(),
	record: z.string().min(1).max(64).optional(),
	person: z.string().min(1).max(120).optional(),
	department: z.string().min(1).max(64).optional(),
	register: registerName.optional(),
	field: z.string().min(1).max(64).optional(),
	cursor: z.coerce.number().int().positive().optional(),
	limit: z.coerce.number().int().min(1).max(500).optional()
});
export type HistoryQueryInput = z.input<typeof historyQuery>;

export const asAtQuery = z.object({ asAt: moment.optional() });

export const changesQuery = z.strictObject({ from: moment.optional(), to: moment.optional() });
