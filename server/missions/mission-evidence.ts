/**
 * What a mission's boards say about it: the dependencies and blockers linked to its milestones
 * (for `milestoneRisks`), its red dependencies and the blockers escalated to the Missions Board.
 * Read from the board documents through the hub, only from the boards the caller can see, so a
 * reason never names a record the caller could not open.
 *
 * An extract reads only the fields it uses of each dependency and blocker (never their comments or
 * histories, which grow without end; `listRecordFields`), and each board's extract is cached with its
 * loaded document until the document changes (like `BoardSummaries`); a reloaded document is a new
 * object and starts fresh. A board whose document is not in memory is read from its saved extract
 * when that is current (`saved-evidence.ts`), so a cold start loads no board. Nothing in an extract
 * depends on the day.
 */
import type * as Y from 'yjs';
import { listRecordFields, type RecordFields } from '#lib/board/read.ts';
import { escalationReached, isBlockerOpen, isDependencyRed } from '#lib/board/derived.ts';
import { dateFormat, defaultDateLocale } from '#lib/date-format.ts';
import type { RiskBlocker, RiskDependency } from '#lib/missions/at-risk.ts';
import { boardDocName } from '#lib/protocol/doc-names.ts';
import type { EscalatedItem, ForDecisionItem } from '#lib/protocol/missions.ts';
import type { BlockerRecord, DependencyRecord } from '#lib/protocol/records.ts';
import { ratingInfo } from '#lib/protocol/ratings.ts';
import { recordPath, type BoardView } from '#lib/protocol/workspace.ts';
import type { DocHub } from '../hub/doc-hub.ts';
import type { Logger } from '../log.ts';
import { SavedEvidence, type BoardExtract, type SavedEvidenceOptions } from './saved-evidence.ts';

export interface MissionEvidence {
	dependencies: RiskDependency[];
	blockers: RiskBlocker[];
	redDependencies: EscalatedItem[];
	escalatedBlockers: EscalatedItem[];
	/** Put to the Missions Board for a decision, oldest mark first. */
	forDecision: ForDecisionItem[];
	/** Record titles, keyed `<boardId>:<recordId>`. */
	titles: Map<string, string>;
}

/**
 * The dates inside an extract's detail sentences. Extracts are saved and shared by every reader, so
 * they are written in the default locale: these few sentences do not follow `dateLocale`.
 */
const extractDates = dateFormat(defaultDateLocale);
const shortDate = (date: string) => extractDates.near(date);


/** What an extract reads of each record: a record's comments and histories are never read or validated. */
const dependencyFields = ['title', 'status', 'forecast', 'committed', 'milestones', 'rating', 'forDecision'] as const satisfies readonly (keyof DependencyRecord)[];
const blockerFields = ['title', 'status', 'targetResolution', 'milestones', 'blocks', 'unblocker', 'escalations', 'forDecision'] as const satisfies readonly (keyof BlockerRecord)[];

type ReadDependency = RecordFields<'dependencies', (typeof dependencyFields)[number]>;
type ReadBlocker = RecordFields<'blockers', (typeof blockerFields)[number]>;

function forDecisionOf(record: ReadDependency | ReadBlocker, boardId: string, path: string, detail: string): BoardExtract['forDecision'][number] | undefined {
	const mark = record.forDecision;
	if (!mark || record.archived) return undefined;
	return { ref: record.ref, title: record.title, boardId, path, detail, register: record.register, recordId: record.id, note: mark.note, by: mark.by, at: mark.at };
}

function extract(doc: Y.Doc, boardId: string): BoardExtract {
	const out: Omit<BoardExtract, 'titles'> & { titles: Map<string, string> } = { dependencies: [], blockers: [], redDependencies: [], escalatedBlockers: [], forDecision: [], titles: new Map() };
	for (const dependency of listRecordFields(doc, 'dependencies', dependencyFields)) {
		const path = recordPath(boardId, dependency.ref);
		if (dependency.milestones.length > 0) {
			out.titles.set(`${boardId}:${dependency.id}`, dependency.title);
			out.dependencies.push({ id: dependency.id, ref: dependency.ref, boardId, path, status: dependency.status, archived: dependency.archived, forecast: dependency.forecast, committed: dependency.committed, milestones: [...dependency.milestones] });
		}
		const dependencyMark = forDecisionOf(dependency, boardId, path, `dependency, ${dependency.status.replaceAll('_', ' ')}${dependency.forecast ? `, forecast ${shortDate(dependency.forecast)}` : ''}`);
		if (dependencyMark) out.forDecision.push(dependencyMark);
		if (!dependency.archived && isDependencyRed(dependency)) {
			const forecast = dependency.forecast ? `, forecast ${shortDate(dependency.forecast)}` : '';
			out.redDependencies.push({ ref: dependency.ref, title: dependency.title, boardId, path, detail: `${ratingInfo(dependency.rating!).label}${forecast}` });
		}
	}
	const onPath = new Set(out.dependencies.map((dependency) => dependency.id));
	for (const blocker of listRecordFields(doc, 'blockers', blockerFields)) {
		const path = recordPath(boardId, blocker.ref);
		const blocks = blocker.blocks.map((link) => link.id);
		if (blocker.milestones.length > 0 || blocks.some((id) => onPath.has(id))) {
			out.titles.set(`${boardId}:${blocker.id}`, blocker.title);
			out.blockers.push({ id: blocker.id, ref: blocker.ref, boardId, path, status: blocker.status, archived: blocker.archived, targetResolution: blocker.targetResolution, milestones: [...blocker.milestones], blocks });
		}
		const blockerMark = forDecisionOf(blocker, boardId, path, `blocker, ${blocker.status.replaceAll('_', ' ')}; ask of ${blocker.unblocker}`);
		if (blockerMark) out.forDecision.push(blockerMark);
		if (!blocker.archived && isBlockerOpen(blocker) && escalationReached(blocker) === 'missions_board') {
			const step = blocker.escalations.findLast((entry) => entry.level === 'missions_board')!;
			out.escalatedBlockers.push({ ref: blocker.ref, title: blocker.title, boardId, path, detail: `escalated ${shortDate(step.on)} (${step.forum}); ask of ${blocker.unblocker}` });
		}
	}
	return { ...out, titles: [...out.titles] };
}

export interface EvidenceReaderOptions {
	hub: DocHub;
	store: SavedEvidenceOptions['store'];
	log: Logger;
}

export class EvidenceReader {
	#hub: DocHub;
	#cache = new WeakMap<Y.Doc, BoardExtract>();
	/** Extracts saved in the store, for boards whose documents are not in memory (a cold start). */
	readonly saved: SavedEvidence;

	constructor(options: EvidenceReaderOptions) {
		this.#hub = options.hub;
		this.saved = new SavedEvidence({
			store: options.store,
			log: options.log,
			extractLoaded: (boardId) => this.#board(boardId),
			isLoaded: (boardId) => this.#hub.loaded(boardDocName(boardId)) !== undefined
		});
	}

	#board(boardId: string): Promise<BoardExtract> {
		return this.#hub.withDoc(boardDocName(boardId), (shared) => {
			const cached = this.#cache.get(shared.doc);
			if (cached) return cached;
			const fresh = extract(shared.doc, boardId);
			const doc = shared.doc;
			doc.once('update', () => this.#cache.delete(doc));
			this.#cache.set(doc, fresh);
			return fresh;
		});
	}

	/** The evidence of these boards (active ones only). */
	async read(boards: readonly Pick<BoardView, 'id' | 'title' | 'archived'>[]): Promise<MissionEvidence> {
		const active = boards.filter((board) => !board.archived);
		const extracts = await Promise.all(active.map((board) => this.saved.read(board.id)));
		const evidence: MissionEvidence = { dependencies: [], blockers: [], redDependencies: [], escalatedBlockers: [], forDecision: [], titles: new Map() };
		active.forEach((board, index) => {
			const part = extracts[index]!;
			evidence.dependencies.push(...part.dependencies);
			evidence.blockers.push(...part.blockers);
			evidence.redDependencies.push(...part.redDependencies.map((item) => ({ ...item, boardTitle: board.title })));
			evidence.escalatedBlockers.push(...part.escalatedBlockers.map((item) => ({ ...item, boardTitle: board.title })));
			evidence.forDecision.push(...part.forDecision.map((item) => ({ ...item, boardTitle: board.title })));
			for (const [key, title] of part.titles) evidence.titles.set(key, title);
		});
		evidence.forDecision.sort((a, b) => a.at - b.at);
		return evidence;
	}
}
