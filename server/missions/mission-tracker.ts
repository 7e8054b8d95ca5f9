/**
 * Tracking missions (`backend.missions`): leadership, targets with trajectories and actuals,
 * milestones, delivery-confidence judgements, and the Missions Board view across missions.
 *
 * Stored in the workspace record store (zod on every read, compare-and-set on every write): these
 * are small records edited by a few people through forms and the API, not text typed at once by
 * many, so a document per record would buy nothing (docs/missions.md). Every change appends a
 * history entry stamped here from the authenticated principal, never from the request body.
 *
 * Access: whoever can see a mission (a board of it, or a lead) reads its tracking; leads change it;
 * actuals may also be recorded by editors of the target's source department (their systems use
 * those people's API tokens). Advisers, viewers and walls never write.
 */
import { isoDateAt } from '#lib/board/dates.ts';
import { dateFormat, type DateFormat } from '#lib/date-format.ts';
import { milestoneRisks } from '#lib/missions/at-risk.ts';
import { targetProgress } from '#lib/missions/trajectory.ts';
import { actualsIssues, targetIssues, type Issue } from '#lib/missions/validate.ts';
import {
	createMilestoneInput,
	createTargetInput,
	judgementInput,
	leadershipInput,
	missionCollections,
	missionLimits,
	milestoneLinkInput,
	milestoneRecord,
	missionProfile,
	patchMilestoneInput,
	patchTargetInput,
	targetRecord,
	type Actual,
	type CreateMilestoneInput,
	type CreateTargetInput,
	type DatedValue,
	type HistoryEntry,
	type Judgement,
	type JudgementInput,
	type LeadershipInput,
	type MilestoneLinkInput,
	type MilestoneRecord,
	type MilestoneView,
	type MissionProfile,
	type MissionTracking,
	type PatchMilestoneInput,
	type PatchTargetInput,
	type Portfolio,
	type TargetRecord,
	type TargetView
} from '#lib/protocol/missions.ts';
import { ratingInfo, ratingScales } from '#lib/protocol/ratings.ts';
import { missionPath, type MissionView, type SampleState } from '#lib/protocol/workspace.ts';
import { personPrincipalId } from '../access/people.ts';
import { isLead } from '../auth/policy.ts';
import { canWrite, type Principal } from '../auth/principal.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { HubHooks } from '../hub/hooks.ts';
import type { Logger } from '../log.ts';
import type { DocStore, RecordStore } from '../store/store.ts';
import { ForbiddenError, InvalidRequestError, NotFoundError } from '../workspace/errors.ts';
import { newEntityId } from '../workspace/ids.ts';
import { RecordCollection } from '../workspace/record-collection.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { EvidenceReader, type MissionEvidence } from './mission-evidence.ts';
import { addSampleTracking } from './sample-tracking.ts';

/** A request that is valid JSON but wrong across fields or rows: 400 with every issue named. */
export class TrackingInputError extends InvalidRequestError {
	constructor(message: string, issues: Issue[]) {
		super(message, { issues });
		this.name = 'TrackingInputError';
	}
}

export interface MissionTrackerOptions {
	/** The records, and the documents' history (a saved board extract names the newest update it holds). */
	store: RecordStore & Pick<DocStore, 'history'>;
	hub: DocHub;
	workspace: Workspace;
	log: Logger;
	now?: () => number;
}

/** Where the actuals of one request came from, to name rows in errors and history. */
export type ActualsSource = 'json' | 'csv';

const byDate = <T extends { date: string }>(a: T, b: T) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
const byCreation = <T extends { createdAt: number }>(a: T, b: T) => a.createdAt - b.createdAt;

export class MissionTracker {
	readonly profiles: RecordCollection<typeof missionProfile>;
	readonly targets: RecordCollection<typeof targetRecord>;
	readonly milestones: RecordCollection<typeof milestoneRecord>;
	/** Keeps the saved board extracts current: add to the hub's hooks. */
	readonly hubHooks: HubHooks;
	#hub: DocHub;
	#evidence: EvidenceReader;
	#workspace: Workspace;
	#log: Logger;
	#now: () => number;

	constructor(options: MissionTrackerOptions) {
		this.#hub = options.hub;
		this.#evidence = new EvidenceReader({ hub: options.hub, store: options.store, log: options.log });
		this.hubHooks = this.#evidence.saved.hubHooks;
		options.workspace.onChange((change) => {
			if (change.kind === 'boards' && change.id) void this.#forgetDeletedBoard(change.id);
		});
		this.#workspace = options.workspace;
		this.#log = options.log;
		this.#now = options.now ?? Date.now;
		this.profiles = new RecordCollection(options.store, missionCollections.profiles, missionProfile, options.log);
		this.targets = new RecordCollection(options.store, missionCollections.targets, targetRecord, options.log);
		this.milestones = new RecordCollection(options.store, missionCollections.milestones, milestoneRecord, options.log);
	}

	#today(): string {
		return isoDateAt(this.#now());
	}

	#stamp(principal: Principal): { by: string; byName: string; at: number } {
		return { by: principal.id, byName: principal.name, at: this.#now() };
	}

	#entry(principal: Principal, summary: string, changes: HistoryEntry['changes'] = []): HistoryEntry {
		return { ...this.#stamp(principal), summary, changes };
	}

	#changed(missionId: string): void {
		this.#workspace.announce({ kind: 'missions', id: missionId });
	}

	/** The mission as the caller sees it (NotFoundError when they cannot). */
	#mission(principal: Principal, missionId: string): Promise<MissionView> {
		return this.#workspace.getMission(principal, missionId);
	}

	async #leadMission(principal: Principal, missionId: string, what: string): Promise<MissionView> {
		const mission = await this.#mission(principal, missionId);
		if (!isLead(principal)) throw new ForbiddenError(`only Missions Unit leads can ${what}`);
		return mission;
	}

	// ── Reading ─────────────────────────────────────────────────────────────

	async #profile(missionId: string): Promise<MissionProfile> {
		return (await this.profiles.get(missionId)) ?? missionProfile.parse({ missionId, createdAt: 0, createdBy: '', updatedAt: 0, updatedBy: '' });
	}

	async #targetsOf(missionId: string): Promise<TargetRecord[]> {
		return (await this.targets.list()).filter((target) => target.missionId === missionId).sort(byCreation);
	}

	async #milestonesOf(missionId: string): Promise<MilestoneRecord[]> {
		return (await this.milestones.list()).filter((milestone) => milestone.missionId === missionId).sort((a, b) => byDate(a, b) || byCreation(a, b));
	}

	#targetView(target: TargetRecord): TargetView {
		return { ...target, ...targetProgress(target) };
	}

	/** The workspace's date formatter, read afresh for every answer (a changed `dateLocale` shows at once). */
	async #dates() {
		return dateFormat((await this.#workspace.settings()).dateLocale);
	}

	#milestoneViews(milestones: MilestoneRecord[], evidence: MissionEvidence, dates: DateFormat): MilestoneView[] {
		const risks = milestoneRisks(milestones, evidence, this.#today(), dates);
		return milestones.map((milestone) => {
			const linked = [
				...evidence.dependencies.filter((record) => !record.archived && record.milestones.includes(milestone.id)).map((record) => ({ ...record, register: 'dependencies' as const })),
				...evidence.blockers.filter((record) => !record.archived && record.milestones.includes(milestone.id)).map((record) => ({ ...record, register: 'blockers' as const }))
			];
			const titles = evidence.titles;
			return {
				...milestone,
				...risks.get(milestone.id)!,
				linked: linked.map((record) => ({ ref: record.ref, title: titles.get(`${record.boardId}:${record.id}`) ?? record.ref, boardId: record.boardId, register: record.register, path: record.path }))
			};
		});
	}

	/** Leadership, confidence and the history of both. */
	async leadership(principal: Principal, missionId: string): Promise<MissionProfile> {
		await this.#mission(principal, missionId);
		return this.#profile(missionId);
	}

	async listTargets(principal: Principal, missionId: string): Promise<TargetView[]> {
		await this.#mission(principal, missionId);
		return (await this.#targetsOf(missionId)).map((target) => this.#targetView(target));
	}

	async getTarget(principal: Principal, missionId: string, targetId: string): Promise<TargetView> {
		await this.#mission(principal, missionId);
		return this.#targetView(await this.#requireTarget(missionId, targetId));
	}

	async #requireTarget(missionId: string, targetId: string): Promise<TargetRecord> {
		const target = await this.targets.get(targetId);
		if (!target || target.missionId !== missionId) throw new NotFoundError('target', targetId);
		return target;
	}

	async listMilestones(principal: Principal, missionId: string): Promise<MilestoneView[]> {
		const mission = await this.#mission(principal, missionId);
		const [milestones, evidence, dates] = await Promise.all([this.#milestonesOf(missionId), this.#evidence.read(mission.boards), this.#dates()]);
		return this.#milestoneViews(milestones, evidence, dates);
	}

	/**
	 * The mission's milestones by date, without reading any board: the board page's picker needs
	 * only these (it flags a milestone from the live record in the page), so opening a board loads
	 * no other board of the mission.
	 */
	async milestoneRecords(principal: Principal, missionId: string): Promise<MilestoneRecord[]> {
		await this.#mission(principal, missionId);
		return this.#milestonesOf(missionId);
	}

	/** Everything the mission page shows beside its boards. */
	async tracking(principal: Principal, missionId: string): Promise<MissionTracking> {
		const mission = await this.#mission(principal, missionId);
		return this.#tracking(mission);
	}

	async #tracking(mission: MissionView): Promise<MissionTracking> {
		const [profile, targets, milestones, evidence, settings] = await Promise.all([
			this.#profile(mission.id),
			this.#targetsOf(mission.id),
			this.#milestonesOf(mission.id),
			this.#evidence.read(mission.boards),
			this.#workspace.settings()
		]);
		const { history: _history, ...shown } = profile;
		return {
			missionId: mission.id,
			profile: shown,
			targets: targets.map((target) => this.#targetView(target)),
			milestones: this.#milestoneViews(milestones, evidence, dateFormat(settings.dateLocale)),
			redDependencies: evidence.redDependencies,
			escalatedBlockers: evidence.escalatedBlockers,
			forDecision: evidence.forDecision,
			scale: settings.confidenceScale
		};
	}

	/** The Missions Board view: every mission the caller can see (or those in `missionIds`). */
	async portfolio(principal: Principal, options: { missionIds?: readonly string[] } = {}): Promise<Portfolio> {
		const missions = (await this.#workspace.listMissions(principal)).filter((mission) => !options.missionIds || options.missionIds.includes(mission.id));
		const settings = await this.#workspace.settings();
		const rows = await Promise.all(
			missions.map(async (mission) => {
				const tracking = await this.#tracking(mission);
				const atRisk = tracking.milestones.filter((milestone) => milestone.atRisk);
				return {
					id: mission.id,
					title: mission.title,
					path: missionPath(mission.id),
					sample: mission.sample,
					ceo: tracking.profile.ceo,
					confidence: tracking.profile.confidence,
					targets: tracking.targets.map((target) => ({ id: target.id, name: target.metric.name, unit: target.metric.unit, status: target.status, projectedDate: target.projectedDate, behindBy: target.behindBy, targetDate: target.target.date, targetValue: target.target.value, latest: target.latest })),
					milestones: { total: tracking.milestones.length, atRisk: atRisk.length, done: tracking.milestones.filter((milestone) => milestone.status === 'done').length },
					milestonesAtRisk: atRisk.map((milestone) => ({ id: milestone.id, title: milestone.title, date: milestone.date, reasons: milestone.reasons })),
					redDependencies: tracking.redDependencies.slice(0, missionLimits.portfolioItems),
					escalatedBlockers: tracking.escalatedBlockers.slice(0, missionLimits.portfolioItems),
					forDecision: tracking.forDecision,
					counts: { redDependencies: tracking.redDependencies.length, escalatedBlockers: tracking.escalatedBlockers.length, forDecision: tracking.forDecision.length },
					boards: mission.boards.filter((board) => !board.archived).length
				};
			})
		);
		return { missions: rows, scale: settings.confidenceScale, asAt: this.#now() };
	}

	// ── Leadership and mission confidence ───────────────────────────────────

	async updateLeadership(principal: Principal, missionId: string, input: LeadershipInput): Promise<MissionProfile> {
		await this.#leadMission(principal, missionId, 'change a mission’s leadership');
		const patch = leadershipInput.parse(input);
		let advisersBefore: MissionProfile['advisers'] = [];
		const profile = await this.#changeProfile(principal, missionId, (current) => {
			advisersBefore = current.advisers;
			const changes = (Object.keys(patch) as (keyof typeof patch)[])
				.filter((field) => JSON.stringify(current[field]) !== JSON.stringify(patch[field]))
				.map((field) => ({ field, before: current[field], after: patch[field] }));
			if (changes.length === 0) return undefined;
			const words = changes.map((change) => (change.field === 'advisers' ? 'the advisory board' : change.field === 'ceo' ? 'the mission CEO' : change.field === 'sro' ? 'the senior responsible owner' : 'the sponsoring minister'));
			return { ...current, ...patch, history: [...current.history, this.#entry(principal, `changed ${words.join(', ')}`, changes)] };
		});
		this.#advisersChanged(advisersBefore, profile.advisers);
		return profile;
	}

	/**
	 * The advisory board grants read on every board of the mission (`server/auth/policy.ts`): who
	 * joined or left it is announced as an access change of that person, so the access layer
	 * re-checks their live connections at once (and their pages reload what they may see).
	 */
	#advisersChanged(before: MissionProfile['advisers'], after: MissionProfile['advisers']): void {
		const ids = (advisers: MissionProfile['advisers']) => new Set(advisers.flatMap((adviser) => (adviser.personId ? [adviser.personId] : [])));
		const [was, now] = [ids(before), ids(after)];
		for (const id of new Set([...was, ...now])) {
			if (was.has(id) !== now.has(id)) this.#workspace.announce({ kind: 'access', id: personPrincipalId(id) });
		}
	}

	async judgeMission(principal: Principal, missionId: string, input: JudgementInput): Promise<MissionProfile> {
		await this.#leadMission(principal, missionId, 'judge a mission’s delivery confidence');
		const judgement = await this.#judgement(principal, input);
		return this.#changeProfile(principal, missionId, (current) => ({
			...current,
			confidence: judgement,
			confidenceHistory: [...current.confidenceHistory, judgement],
			history: [...current.history, this.#entry(principal, `judged delivery confidence ${ratingInfo(judgement.level).label}`, [{ field: 'confidence', before: current.confidence?.level ?? null, after: judgement.level }])]
		}));
	}

	async #judgement(principal: Principal, input: JudgementInput): Promise<Judgement> {
		const parsed = judgementInput.parse(input);
		const scale = (await this.#workspace.settings()).confidenceScale;
		const levels: readonly string[] = ratingScales[scale];
		if (!levels.includes(parsed.level)) {
			throw new TrackingInputError('that level is not on the workspace’s confidence scale', [{ path: 'level', message: `the ${scale}-point scale has ${levels.join(', ')}` }]);
		}
		return { level: parsed.level, narrative: parsed.narrative, ...this.#stamp(principal) };
	}

	async #changeProfile(principal: Principal, missionId: string, change: (current: MissionProfile) => MissionProfile | undefined): Promise<MissionProfile> {
		const now = this.#now();
		if (!(await this.profiles.get(missionId))) {
			await this.profiles.create(missionId, missionProfile.parse({ missionId, createdAt: now, createdBy: principal.id, updatedAt: now, updatedBy: principal.id }));
		}
		const result = await this.profiles.update(missionId, (current) => {
			const next = change(current);
			return next && { ...next, updatedAt: now, updatedBy: principal.id };
		});
		if (!result) throw new NotFoundError('mission', missionId);
		if (result.changed) this.#changed(missionId);
		return result.value;
	}

	// ── Targets ─────────────────────────────────────────────────────────────

	async createTarget(principal: Principal, missionId: string, input: CreateTargetInput): Promise<TargetView> {
		await this.#leadMission(principal, missionId, 'set targets');
		const data = createTargetInput.parse(input);
		const issues = targetIssues(data);
		if (issues.length > 0) throw new TrackingInputError('the target is not consistent', issues);
		if ((await this.#targetsOf(missionId)).length >= missionLimits.targetsPerMission) throw new InvalidRequestError(`a mission has at most ${missionLimits.targetsPerMission} headline targets`);
		if (data.sourceDepartmentId) await this.#workspace.getDepartment(data.sourceDepartmentId);
		const now = this.#now();
		const id = newEntityId();
		const record = targetRecord.parse({
			...data,
			id,
			missionId,
			trajectory: [...data.trajectory].sort(byDate),
			actuals: [],
			history: [this.#entry(principal, `set the target: ${data.metric.name} from ${data.baseline.value} (${data.baseline.date}) to ${data.target.value} by ${data.target.date}`)],
			createdAt: now,
			createdBy: principal.id,
			updatedAt: now,
			updatedBy: principal.id
		});
		await this.targets.create(id, record);
		this.#changed(missionId);
		return this.#targetView(record);
	}

	async updateTarget(principal: Principal, missionId: string, targetId: string, input: PatchTargetInput): Promise<TargetView> {
		await this.#leadMission(principal, missionId, 'change targets');
		const patch = patchTargetInput.parse(input);
		if (patch.sourceDepartmentId) await this.#workspace.getDepartment(patch.sourceDepartmentId);
		await this.#requireTarget(missionId, targetId);
		const result = await this.targets.update(targetId, (current) => {
			const next = { ...current, ...patch, trajectory: [...(patch.trajectory ?? current.trajectory)].sort(byDate) };
			const issues = targetIssues(next);
			if (issues.length > 0) throw new TrackingInputError('the target would not be consistent', issues);
			const changes = (Object.keys(patch) as (keyof typeof patch)[])
				.filter((field) => JSON.stringify(current[field]) !== JSON.stringify(next[field]))
				.map((field) => ({ field, before: current[field], after: next[field] }));
			if (changes.length === 0) return undefined;
			const summary = `changed ${changes.map((change) => (change.field === 'trajectory' ? `the trajectory (${next.trajectory.length} points)` : change.field)).join(', ')}`;
			return { ...next, history: [...current.history, this.#entry(principal, summary, changes)], updatedAt: this.#now(), updatedBy: principal.id };
		});
		if (!result) throw new NotFoundError('target', targetId);
		if (result.changed) this.#changed(missionId);
		return this.#targetView(result.value);
	}

	/**
	 * Records actual values: all of them or none. A date that already has a value is corrected (the
	 * history keeps the value before). Leads, and editors of the target's source department.
	 */
	async recordActuals(principal: Principal, missionId: string, targetId: string, points: readonly DatedValue[], source: ActualsSource): Promise<TargetView> {
		await this.#mission(principal, missionId);
		const target = await this.#requireTarget(missionId, targetId);
		const departmentMember = canWrite(principal) && principal.role === 'editor' && target.sourceDepartmentId !== null && principal.departmentId === target.sourceDepartmentId;
		if (!isLead(principal) && !departmentMember) {
			throw new ForbiddenError(target.sourceDepartmentId ? 'only leads and editors of the target’s source department can record actuals' : 'only Missions Unit leads can record actuals for this target');
		}
		const where = source === 'csv' ? { label: (i: number) => `row ${i + 2}`, path: (i: number) => `row ${i + 2}` } : { label: (i: number) => `entry ${i + 1}`, path: (i: number) => String(i) };
		const issues = actualsIssues(points, { baselineDate: target.baseline.date, today: this.#today() }, where);
		if (issues.length > 0) throw new TrackingInputError(`${issues.length} of the actuals cannot be recorded; none were`, issues);
		const stamp = this.#stamp(principal);
		const result = await this.targets.update(targetId, (current) => {
			const byDay = new Map(current.actuals.map((entry) => [entry.date, entry]));
			const changes: HistoryEntry['changes'] = [];
			for (const point of points) {
				const before = byDay.get(point.date);
				if (before?.value === point.value) continue;
				changes.push({ field: `actuals.${point.date}`, before: before?.value ?? null, after: point.value });
				byDay.set(point.date, { date: point.date, value: point.value, ...stamp } satisfies Actual);
			}
			if (changes.length === 0) return undefined;
			if (byDay.size > missionLimits.actuals) throw new InvalidRequestError(`a target keeps at most ${missionLimits.actuals} actuals`);
			const corrected = changes.filter((change) => change.before !== null).length;
			const dates = changes.map((change) => change.field.slice('actuals.'.length)).sort();
			const span = dates.length === 1 ? dates[0] : `${dates[0]} to ${dates.at(-1)}`;
			const summary = `recorded ${changes.length} actual${changes.length === 1 ? '' : 's'} (${span})${corrected > 0 ? `, correcting ${corrected}` : ''}${source === 'csv' ? ' from CSV' : ''}`;
			return { ...current, actuals: [...byDay.values()].sort(byDate), history: [...current.history, { ...stamp, summary, changes }], updatedAt: stamp.at, updatedBy: principal.id };
		});
		if (!result) throw new NotFoundError('target', targetId);
		if (result.changed) this.#changed(missionId);
		return this.#targetView(result.value);
	}

	// ── Milestones ──────────────────────────────────────────────────────────

	async createMilestone(principal: Principal, missionId: string, input: CreateMilestoneInput): Promise<MilestoneView> {
		const mission = await this.#leadMission(principal, missionId, 'add milestones');
		const data = createMilestoneInput.parse(input);
		await this.#requireTargets(missionId, data.targetIds);
		if ((await this.#milestonesOf(missionId)).length >= missionLimits.milestonesPerMission) throw new InvalidRequestError(`a mission has at most ${missionLimits.milestonesPerMission} milestones`);
		const now = this.#now();
		const id = newEntityId();
		const record = milestoneRecord.parse({ ...data, id, missionId, history: [this.#entry(principal, `added the milestone "${data.title}" due ${data.date}`)], createdAt: now, createdBy: principal.id, updatedAt: now, updatedBy: principal.id });
		await this.milestones.create(id, record);
		this.#changed(missionId);
		return this.#milestoneViews([record], await this.#evidence.read(mission.boards), await this.#dates())[0]!;
	}

	async updateMilestone(principal: Principal, missionId: string, milestoneId: string, input: PatchMilestoneInput): Promise<MilestoneView> {
		const mission = await this.#leadMission(principal, missionId, 'change milestones');
		const patch = patchMilestoneInput.parse(input);
		if (patch.targetIds) await this.#requireTargets(missionId, patch.targetIds);
		const record = await this.#changeMilestone(missionId, milestoneId, (current) => {
			const changes = (Object.keys(patch) as (keyof typeof patch)[])
				.filter((field) => JSON.stringify(current[field]) !== JSON.stringify(patch[field]))
				.map((field) => ({ field, before: current[field], after: patch[field] }));
			if (changes.length === 0) return undefined;
			return { ...current, ...patch, history: [...current.history, this.#entry(principal, `changed ${changes.map((change) => change.field).join(', ')}`, changes)] };
		}, principal);
		return this.#milestoneViews([record], await this.#evidence.read(mission.boards), await this.#dates())[0]!;
	}

	async judgeMilestone(principal: Principal, missionId: string, milestoneId: string, input: JudgementInput): Promise<MilestoneView> {
		const mission = await this.#leadMission(principal, missionId, 'judge a milestone’s delivery confidence');
		const judgement = await this.#judgement(principal, input);
		const record = await this.#changeMilestone(missionId, milestoneId, (current) => ({
			...current,
			confidence: judgement,
			confidenceHistory: [...current.confidenceHistory, judgement],
			history: [...current.history, this.#entry(principal, `judged delivery confidence ${ratingInfo(judgement.level).label}`, [{ field: 'confidence', before: current.confidence?.level ?? null, after: judgement.level }])]
		}), principal);
		return this.#milestoneViews([record], await this.#evidence.read(mission.boards), await this.#dates())[0]!;
	}

	/**
	 * Links (or unlinks) a dependency or blocker on one of the mission's boards to a milestone: the
	 * record's `milestones` field changes in the board document, attributed to the caller (leads).
	 */
	async linkRecord(principal: Principal, missionId: string, milestoneId: string, input: MilestoneLinkInput, link: boolean): Promise<MilestoneView> {
		const mission = await this.#leadMission(principal, missionId, 'link records to milestones');
		const { boardId, ref } = milestoneLinkInput.parse(input);
		const milestone = await this.milestones.get(milestoneId);
		if (!milestone || milestone.missionId !== missionId) throw new NotFoundError('milestone', milestoneId);
		if (!mission.boards.some((board) => board.id === boardId)) throw new TrackingInputError('the record must be on one of this mission’s boards', [{ path: 'boardId', message: 'not a board of this mission' }]);
		const register = ref.toUpperCase().startsWith('DEP') ? 'dependencies' : 'blockers';
		const record = await this.#workspace.getRecord(principal, boardId, register, ref);
		const milestones = link ? [...new Set([...record.milestones, milestoneId])] : record.milestones.filter((id) => id !== milestoneId);
		if (milestones.length !== record.milestones.length) await this.#workspace.updateRecord(principal, boardId, register, ref, { milestones });
		return this.#milestoneViews([milestone], await this.#evidence.read(mission.boards), await this.#dates())[0]!;
	}

	async #changeMilestone(missionId: string, milestoneId: string, change: (current: MilestoneRecord) => MilestoneRecord | undefined, principal: Principal): Promise<MilestoneRecord> {
		const existing = await this.milestones.get(milestoneId);
		if (!existing || existing.missionId !== missionId) throw new NotFoundError('milestone', milestoneId);
		const result = await this.milestones.update(milestoneId, (current) => {
			const next = change(current);
			return next && { ...next, updatedAt: this.#now(), updatedBy: principal.id };
		});
		if (!result) throw new NotFoundError('milestone', milestoneId);
		if (result.changed) this.#changed(missionId);
		return result.value;
	}

	async #requireTargets(missionId: string, ids: readonly string[]): Promise<void> {
		if (ids.length === 0) return;
		const known = new Set((await this.#targetsOf(missionId)).map((target) => target.id));
		const issues = ids.flatMap((id, index) => (known.has(id) ? [] : [{ path: `targetIds.${index}`, message: `${JSON.stringify(id)} is not a target of this mission` }]));
		if (issues.length > 0) throw new TrackingInputError('a milestone can only drive targets of its own mission', issues);
	}

	/** Leadership, targets, milestones and confidence for the sample mission just loaded (leads). */
	async addSample(principal: Principal, state: SampleState): Promise<void> {
		await addSampleTracking(this, this.#hub, principal, state, this.#now());
	}

	/** Stops keeping board extracts (before the hub closes); idempotent. */
	close(): Promise<void> {
		return this.#evidence.saved.close();
	}

	/** A deleted board's saved extract goes with it. */
	async #forgetDeletedBoard(boardId: string): Promise<void> {
		if (await this.#workspace.findBoard(boardId)) return;
		await this.#evidence.saved.forget(boardId).catch((error: unknown) => this.#log.warn({ err: error, board: boardId }, 'missions: forgetting a deleted board’s extract failed'));
	}

	/** Removes a mission's tracking records (when the mission is deleted). */
	async forgetMission(missionId: string): Promise<void> {
		for (const target of await this.#targetsOf(missionId)) await this.targets.delete(target.id);
		for (const milestone of await this.#milestonesOf(missionId)) await this.milestones.delete(milestone.id);
		await this.profiles.delete(missionId);
	}
}
