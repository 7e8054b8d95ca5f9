/**
 * The aggregated dependency map: one edge per department pair (provider → receiver), carrying how
 * many open dependencies flow along it, the worst rating among them (the headline colour) and how
 * many are red or late. So a mission of thousands of dependencies draws as a few dozen arrows, and
 * each arrow says how much, and how bad. Pure.
 */
import { dependencySlip, isDependencyLate, isDependencyOpen, isDependencyRed } from '../../board/derived.ts';
import { ratingLevelInfo, toScale, type RatingLevel, type RatingScaleId } from '../../protocol/ratings.ts';
import type { DependencyRecord } from '../../protocol/records.ts';
import { hiddenMapStatuses, type MapDepartment, type MapNode } from './map-layout.ts';

export type PairEdge = {
	/** `<provider>→<receiver>`. */
	id: string;
	from: string;
	to: string;
	/** The label: the count and the worst rating in words ("12 · Red"), so colour is never alone. */
	ref: string;
	count: number;
	/** The worst rating among the pair's dependencies; null when none is rated. */
	worst: RatingLevel | null;
	redOrLate: number;
	/** Refs of the pair's red or late dependencies (for the table), worst first. */
	redOrLateRefs: string[];
	/** Ids of every dependency on the pair (to find the chair's focus). */
	ids: string[];
};

export type MapMode = 'all' | 'red-late';

export function isRedOrLate(dependency: DependencyRecord, today: string): boolean {
	return isDependencyRed(dependency) || isDependencyLate(dependency, today) || dependencySlip(dependency).forecastLate;
}

/** Nodes for every department an edge touches (unknown ids too), and one edge per pair. */
export function aggregateMap(
	dependencies: readonly DependencyRecord[],
	departments: readonly MapDepartment[],
	options: { mode: MapMode; today: string; scale: RatingScaleId }
): { nodes: MapNode[]; edges: PairEdge[]; dependencies: number } {
	const known = new Map(departments.map((department) => [department.id, department]));
	const nodes = new Map<string, MapNode>();
	const pairs = new Map<string, PairEdge & { worstSeverity: number }>();
	let counted = 0;
	const node = (id: string) => {
		if (!nodes.has(id)) {
			const department = known.get(id);
			nodes.set(id, department ? { id, code: department.code, name: department.name, colour: department.colour } : { id, code: id.slice(0, 12), name: `Unknown department ${id}`, colour: '#767676' });
		}
		return id;
	};
	for (const dependency of dependencies) {
		if (dependency.archived || hiddenMapStatuses.includes(dependency.status) || !isDependencyOpen(dependency)) continue;
		const bad = isRedOrLate(dependency, options.today);
		if (options.mode === 'red-late' && !bad) continue;
		counted++;
		const from = node(dependency.providerDepartment);
		const to = node(dependency.receiverDepartment);
		const id = `${from}→${to}`;
		const pair = pairs.get(id) ?? { id, from, to, ref: '', count: 0, worst: null, worstSeverity: -1, redOrLate: 0, redOrLateRefs: [], ids: [] };
		pairs.set(id, pair);
		pair.count++;
		pair.ids.push(dependency.id);
		if (bad) {
			pair.redOrLate++;
			pair.redOrLateRefs.push(dependency.ref);
		}
		if (dependency.rating !== null) {
			const level = toScale(dependency.rating, options.scale);
			const severity = ratingLevelInfo[level].severity;
			if (severity > pair.worstSeverity) {
				pair.worst = level;
				pair.worstSeverity = severity;
			}
		}
	}
	const edges = [...pairs.values()]
		.map(({ worstSeverity: _, ...pair }) => ({ ...pair, ref: `${pair.count} · ${pair.worst ? ratingLevelInfo[pair.worst].label : 'not rated'}` }))
		.sort((a, b) => a.id.localeCompare(b.id));
	return { nodes: [...nodes.values()].sort((a, b) => a.code.localeCompare(b.code)), edges, dependencies: counted };
}
