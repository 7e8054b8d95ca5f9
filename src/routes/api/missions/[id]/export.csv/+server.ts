import { exportHandler } from '#lib/server/export-routes.ts';

/** Every board of the mission you can see, as CSV (see docs/import-export.md). */
export const GET = exportHandler('mission', 'csv');
