import { exportHandler } from '#lib/server/export-routes.ts';

/** The board's registers as CSV, with the board's filters (see docs/import-export.md). */
export const GET = exportHandler('board', 'csv');
