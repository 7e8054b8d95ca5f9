/**
 * Bodies of the record endpoints that go beyond create/patch/delete: the same actions the board
 * page takes through the board model (comments, links, ratings, escalations, re-plans, decision
 * corrections, archive and restore). Comments, ratings, escalations, re-plans and corrections
 * reuse the board model's own input schemas (records.ts, record-fields.ts); only links need one.
 */
import { z } from 'zod';
import { fieldLimits } from './record-fields.ts';

export { commentInput } from './record-fields.ts';
export { correctDecisionInput, escalationInput, ratingInput, replanInput } from './records.ts';

/** The link fields: `links` on every record, a blocker's `blocks`, a decision's `createdActions`. */
export const linkFieldNames = ['links', 'blocks', 'createdActions'] as const;
export const linkFieldName = z.enum(linkFieldNames);

export const linkInput = z.strictObject({
	/** The record to link to, on the same board: a short ref (`DEP-3`) or a record id. */
	target: z.string().trim().min(1).max(fieldLimits.idChars),
	field: linkFieldName.default('links')
});
export type LinkInput = z.input<typeof linkInput>;

export const unlinkQuery = z.strictObject({ field: linkFieldName.default('links') });
