/**
 * The query string of the export endpoints (`/api/boards/:id/export.csv|xlsx|html`,
 * `/api/missions/:id/export.*`): which register, and the board's own filters, so an export
 * holds what the person sees. Unknown parameters are refused, so a typo never widens an export.
 */
import { z } from 'zod';
import { moment } from './history-query.ts';
import { fieldLimits } from './record-fields.ts';
import { registerName } from './registers.ts';

const flag = z.enum(['true', 'false']).default('false');

export const exportQuery = z.strictObject({
	register: registerName.optional(),
	search: z.string().max(200).default(''),
	department: z.string().max(fieldLimits.idChars).default(''),
	owner: z.string().max(fieldLimits.nameChars).default(''),
	status: z.string().max(40).default(''),
	/** A rating band (amber includes amber/green, red includes amber/red), or `none` for unrated. */
	rating: z.enum(['', 'green', 'amber', 'red', 'none']).default(''),
	/** Only late, overdue or past-target records (the board's "overdue only"). */
	overdue: flag,
	/** Include archived records. */
	archived: flag,
	/** The board(s) as they stood at this moment (ISO date-time, or a date: its start in UTC), from the kept history. */
	asAt: moment.optional()
});
export type ExportQuery = z.output<typeof exportQuery>;

export const exportFormats = ['csv', 'xlsx', 'html'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportMediaTypes = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	html: 'text/html; charset=utf-8'
} as const satisfies Record<ExportFormat, string>;
