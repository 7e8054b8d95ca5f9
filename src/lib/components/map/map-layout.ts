/**
 * The dependency map's model and layout: departments are nodes, dependencies are edges from the
 * provider to the receiver (one edge per dependency, so two between the same pair stay two),
 * laid out by dagre. Pure: records and departments in, coordinates out.
 */
import dagre from '@dagrejs/dagre';
import type { DependencyRecord } from '../../protocol/records.ts';
import type { DependencyStatus } from '../../protocol/registers.ts';

export type MapDepartment = { id: string; name: string; code: string; colour: string };

export type MapNode = { id: string; code: string; name: string; colour: string };
export type MapEdge = { id: string; ref: string; title: string; from: string; to: string; status: DependencyStatus };

export type Point = { x: number; y: number };
export type PlacedNode = MapNode & { x: number; y: number; width: number; height: number };
/** What the layout needs of an edge: `ref` is its label (a dependency's ref, or a count on the aggregated map). */
export type LayoutEdge = { id: string; ref: string; from: string; to: string };
export type PlacedEdge<E extends LayoutEdge = MapEdge> = E & { points: Point[]; label: Point; labelWidth: number };
export type MapLayout<E extends LayoutEdge = MapEdge> = { width: number; height: number; nodes: PlacedNode[]; edges: PlacedEdge<E>[] };

export const mapLayoutDefaults = {
	nodeWidth: 146,
	nodeHeight: 64,
	edgeLabelWidth: 92,
	edgeLabelHeight: 30,
	rankSeparation: 56,
	nodeSeparation: 30,
	edgeSeparation: 14,
	margin: 24
} as const;

/** Statuses the map leaves out: nothing flows any more. */
export const hiddenMapStatuses: readonly DependencyStatus[] = ['cancelled'];

/** The map's nodes and edges: every department a shown dependency touches (unknown ids too). */
export function mapModel(dependencies: readonly Pick<DependencyRecord, 'id' | 'ref' | 'title' | 'status' | 'archived' | 'providerDepartment' | 'receiverDepartment'>[], departments: readonly MapDepartment[]): { nodes: MapNode[]; edges: MapEdge[] } {
	const known = new Map(departments.map((department) => [department.id, department]));
	const nodes = new Map<string, MapNode>();
	const edges: MapEdge[] = [];
	const node = (id: string) => {
		if (!nodes.has(id)) {
			const department = known.get(id);
			nodes.set(id, department ? { id, code: department.code, name: department.name, colour: department.colour } : { id, code: id.slice(0, 12), name: `Unknown department ${id}`, colour: '#767676' });
		}
		return id;
	};
	for (const dependency of dependencies) {
		if (dependency.archived || hiddenMapStatuses.includes(dependency.status)) continue;
		edges.push({
			id: dependency.id,
			ref: dependency.ref,
			title: dependency.title,
			from: node(dependency.providerDepartment),
			to: node(dependency.receiverDepartment),
			status: dependency.status
		});
	}
	return { nodes: [...nodes.values()].sort((a, b) => a.code.localeCompare(b.code)), edges };
}

type NodeData = { width: number; height: number; x?: number; y?: number };
type EdgeData = { width: number; height: number; labelpos: 'c'; points?: Point[]; x?: number; y?: number };

export type LayoutOptions = Partial<Record<keyof typeof mapLayoutDefaults, number>> & {
	/** Width of one label character in layout units (labels are monospace). */
	labelCharWidth?: number;
	/** Width ÷ height of the space the map is drawn in: the layout direction that fills it best wins. */
	aspect?: number;
};

/**
 * Lays the map out left to right (providers towards the left) or top to bottom, whichever draws
 * bigger in a space of the given aspect ratio.
 */
export function layoutMap<E extends LayoutEdge = MapEdge>(model: { nodes: readonly MapNode[]; edges: readonly E[] }, options: LayoutOptions = {}): MapLayout<E> {
	if (model.nodes.length === 0) return { width: 0, height: 0, nodes: [], edges: [] };
	const aspect = options.aspect ?? 1.8;
	const scale = (layout: MapLayout<E>) => Math.min(aspect / Math.max(layout.width, 1), 1 / Math.max(layout.height, 1));
	const across = layoutIn(model, 'LR', options);
	const down = layoutIn(model, 'TB', options);
	return scale(down) > scale(across) * 1.05 ? down : across;
}

function layoutIn<E extends LayoutEdge>(model: { nodes: readonly MapNode[]; edges: readonly E[] }, rankdir: 'LR' | 'TB', options: LayoutOptions): MapLayout<E> {
	const o = { ...mapLayoutDefaults, ...options };
	const graph = new dagre.graphlib.Graph<{ rankdir: string; ranksep: number; nodesep: number; edgesep: number; marginx: number; marginy: number; width?: number; height?: number }, NodeData, EdgeData>({ multigraph: true });
	graph.setGraph({ rankdir, ranksep: o.rankSeparation, nodesep: o.nodeSeparation, edgesep: o.edgeSeparation, marginx: o.margin, marginy: o.margin });
	graph.setDefaultEdgeLabel(() => ({ width: o.edgeLabelWidth, height: o.edgeLabelHeight, labelpos: 'c' }));
	for (const node of model.nodes) graph.setNode(node.id, { width: o.nodeWidth, height: o.nodeHeight });
	const labelWidth = (edge: E) => edgeLabelWidth(edge.ref, o.edgeLabelWidth, o.labelCharWidth);
	for (const edge of model.edges) graph.setEdge(edge.from, edge.to, { width: labelWidth(edge), height: o.edgeLabelHeight, labelpos: 'c' }, edge.id);
	dagre.layout(graph);
	const size = graph.graph();
	const nodes = model.nodes.map((node) => {
		const placed = graph.node(node.id);
		return { ...node, x: placed.x ?? 0, y: placed.y ?? 0, width: placed.width, height: placed.height };
	});
	const edges = model.edges.map((edge) => {
		const placed = graph.edge(edge.from, edge.to, edge.id);
		const points = placed?.points ?? [];
		const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
		return { ...edge, points, label: { x: placed?.x ?? middle.x, y: placed?.y ?? middle.y }, labelWidth: labelWidth(edge) };
	});
	return { width: size.width ?? 0, height: size.height ?? 0, nodes, edges };
}

/** An SVG path through the edge's points, smoothed with quadratic curves between midpoints. */
export function edgePath(points: readonly Point[]): string {
	if (points.length === 0) return '';
	const [first, ...rest] = points;
	if (rest.length === 0) return `M${first!.x},${first!.y}`;
	let path = `M${first!.x},${first!.y}`;
	for (let i = 0; i < rest.length - 1; i++) {
		const control = rest[i]!;
		const next = rest[i + 1]!;
		path += ` Q${control.x},${control.y} ${(control.x + next.x) / 2},${(control.y + next.y) / 2}`;
	}
	const last = rest.at(-1)!;
	return `${path} L${last.x},${last.y}`;
}

/** A label box wide enough for its ref (monospace, about 10.5 px a character at the map's size). */
export function edgeLabelWidth(ref: string, minimum: number, charWidth = 10.5): number {
	return Math.max(minimum, Math.ceil(ref.length * charWidth + (20 * charWidth) / 10.5));
}
