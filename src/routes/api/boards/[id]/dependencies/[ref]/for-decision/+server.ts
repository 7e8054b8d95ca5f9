import { forDecisionRoutes } from '#lib/server/for-decision-routes.ts';

/** Put the record to the Missions Board for a decision, or take it off (`for-decision-routes.ts`). */
export const { PUT, DELETE } = forDecisionRoutes('dependencies');
