/** The backend's types that SvelteKit's server code uses, re-exported by `src/lib/server/backend.ts`. */
export type { Principal } from './auth/principal.ts';
export type { AppErrorOptions, ErrorCode, Failure, Issue } from './errors.ts';
export type { Workspace } from './workspace/workspace.ts';
export type { MissionTracker } from './missions/mission-tracker.ts';
