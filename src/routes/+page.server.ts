import { workspaceDependency } from '#lib/components/workspace/form-result.ts';
import { backend } from '#lib/server/backend.ts';
import { offersEmail } from '#lib/server/offers-email.ts';
import { workspaceActions as act } from '#lib/server/workspace-forms.ts';
import type { Actions, PageServerLoad } from './$types';

/** Signed in: the missions and boards the person can see, with each board's counts. No side effects. */
export const load: PageServerLoad = async ({ locals, depends }) => {
	depends(workspaceDependency);
	const principal = locals.principal;
	if (!principal) return { signedIn: false as const };
	const workspace = backend().workspace;
	const lead = backend().access.isLead(principal);
	const [missions, departments, sample, work] = await Promise.all([
		workspace.listMissions(principal, { includeArchived: lead, counts: true }),
		workspace.listDepartments({ includeArchived: true }),
		lead ? workspace.sampleState() : Promise.resolve(undefined),
		// The same counts as /me/work, for a person (the administrator and walls own nothing).
		principal.kind === 'person' ? backend().identity.myWork(principal) : Promise.resolve(undefined)
	]);
	const addEmail = await offersEmail(principal);
	const active = missions.filter((mission) => !mission.archived);
	// Each mission's header (confidence, change since last week, stale boards, top red items).
	const headers = await backend().missionHeaders.forMissions(principal, active);
	// Each mission's judged delivery confidence: the header's headline, the evidence beside it.
	const judged = await Promise.all(
		active.map(async (mission) => {
			const confidence = (await backend().missions.leadership(principal, mission.id)).confidence;
			return [mission.id, confidence ? { level: confidence.level, byName: confidence.byName, at: confidence.at } : null] as const;
		})
	);
	return {
		signedIn: true as const,
		lead,
		missions: active,
		headers: Object.fromEntries(headers),
		judged: Object.fromEntries(judged),
		archivedMissions: missions.filter((mission) => mission.archived).map(({ id, title, path, boards }) => ({ id, title, path, boardCount: boards.length })),
		departments: departments.map(({ id, name, code, colour }) => ({ id, name, code, colour })),
		sampleLoaded: sample !== undefined,
		workCounts: work?.counts,
		addEmail
	};
};

export const actions: Actions = {
	createMission: act.createMission,
	renameMission: act.renameMission,
	archiveMission: act.archiveMission,
	unarchiveMission: act.unarchiveMission,
	createBoard: act.createBoard,
	renameBoard: act.renameBoard,
	archiveBoard: act.archiveBoard,
	unarchiveBoard: act.unarchiveBoard,
	loadSample: act.loadSample,
	removeSample: act.removeSample
};
