/**
 * The meeting pack's sections that come from beyond the boards' registers: what changed since the
 * last meeting (the ledger's diff, `server/meetings/since-last-meeting.ts`) and the mission's targets
 * and milestones (`server/missions/`), each as a table every pack format renders.
 */
import type { CellKind, CellValue, ExportTable } from '#lib/export/export-columns.ts';
import type { MilestoneView, TargetView } from '#lib/protocol/missions.ts';
import { ratingInfo } from '#lib/protocol/ratings.ts';
import { changeKindLabels } from '#lib/wall/since-changes.ts';
import type { MeetingSince } from '../meetings/since-last-meeting.ts';

/** A table of the pack: headed columns and rows of cells (a register's table, or one of these). */
export type PackTable = Pick<ExportTable, 'title' | 'columns' | 'rows'>;

export interface PackSection {
	heading: string;
	/** What the section holds, one sentence. */
	intro: string;
	table: PackTable;
}

function table(title: string, columns: Array<[header: string, kind: CellKind, width: number]>, rows: CellValue[][]): PackTable {
	return { title, columns: columns.map(([header, kind, width]) => ({ header, kind, width })), rows };
}

const words = (key: string) => key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');

export function sinceSection(since: MeetingSince): PackSection {
	const rows = since.boards.flatMap((board) => board.changes.map((change): CellValue[] => [board.title, change.ref, changeKindLabels[change.kind].tag, change.title, change.summary]));
	const from = new Date(since.from).toISOString().slice(0, 16).replace('T', ' ');
	const mark = since.since.kind === 'meeting' ? `the last ${since.since.forum} (${since.since.title}, ${since.since.date})` : 'a week before this meeting';
	const notes = since.boards.filter((board) => board.note).map((board) => ` ${board.title}: ${board.note}.`).join('');
	return {
		heading: since.since.kind === 'meeting' ? `Since the last ${since.since.forum}` : 'Changes in the last week',
		intro: `What changed on the boards you can see since ${mark}, from ${from} UTC: new reds, slips, escalations, closures, decisions.${notes}`,
		table: table('Changes', [['Board', 'text', 24], ['Ref', 'text', 10], ['Change', 'text', 14], ['Title', 'text', 40], ['What changed', 'text', 50]], rows)
	};
}

export function targetsSection(targets: readonly TargetView[]): PackSection {
	const rows = targets.map((target): CellValue[] => [
		target.metric.name,
		target.metric.unit,
		target.baseline.value,
		target.baseline.date,
		target.latest?.value ?? null,
		target.latest?.date ?? null,
		target.target.value,
		target.target.date,
		words(target.status),
		target.projectedDate
	]);
	return {
		heading: 'Targets',
		intro: 'The mission’s headline targets: baseline, the latest actual, the target, and when the current trend reaches it.',
		table: table('Targets', [['Target', 'text', 32], ['Unit', 'text', 10], ['Baseline', 'number', 10], ['Baseline date', 'date', 12], ['Latest', 'number', 10], ['Latest date', 'date', 12], ['Target value', 'number', 10], ['Target date', 'date', 12], ['Status', 'text', 10], ['Trend reaches target', 'date', 14]], rows)
	};
}

export function milestonesSection(milestones: readonly MilestoneView[]): PackSection {
	const rows = milestones.map((milestone): CellValue[] => [
		milestone.title,
		milestone.date,
		milestone.owner?.name ?? '',
		words(milestone.status),
		milestone.confidence ? ratingInfo(milestone.confidence.level).label : 'Not rated',
		milestone.atRisk ? 'At risk' : 'No',
		milestone.reasons.map((reason) => reason.message).join('\n')
	]);
	return {
		heading: 'Milestones',
		intro: 'The mission’s milestones by date, with their delivery confidence and why any is at risk.',
		table: table('Milestones', [['Milestone', 'text', 32], ['Date', 'date', 12], ['Owner', 'text', 18], ['Status', 'text', 12], ['Confidence', 'text', 12], ['At risk', 'text', 8], ['Why', 'text', 50]], rows)
	};
}
