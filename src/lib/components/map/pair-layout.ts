/**
 * Lays out the aggregated map so that its labels come out at least `minLabelPx` tall on screen:
 * lay out, work out how far the picture will be scaled to fit its box, and if the labels would be
 * smaller than asked, grow the labels and boxes (not the gaps) and lay out again (at most three
 * times). Pure; runs in a worker (map-layout.worker.ts) so the page never waits for it.
 */
import type { PairEdge } from './map-aggregate.ts';
import { layoutMap, mapLayoutDefaults, type MapLayout, type MapNode } from './map-layout.ts';

export const pairLayoutDefaults = { labelFont: 18, nodeFont: 28, charWidth: 10.5, attempts: 3 } as const;

export type PairLayoutRequest = {
	model: { nodes: MapNode[]; edges: PairEdge[] };
	box: { width: number; height: number };
	minLabelPx: number;
};

export type PairLayout = MapLayout<PairEdge> & { labelFont: number; nodeFont: number; labelHeight: number };

export function layoutPairs({ model, box, minLabelPx }: PairLayoutRequest): PairLayout {
	const aspect = box.width > 0 && box.height > 0 ? box.width / box.height : 1.8;
	let factor = 1;
	let best: PairLayout | null = null;
	for (let attempt = 0; attempt < pairLayoutDefaults.attempts; attempt++) {
		const d = mapLayoutDefaults;
		const layout = layoutMap(model, {
			aspect,
			nodeWidth: d.nodeWidth * factor,
			nodeHeight: d.nodeHeight * factor,
			edgeLabelWidth: d.edgeLabelWidth * factor,
			edgeLabelHeight: d.edgeLabelHeight * factor,
			labelCharWidth: pairLayoutDefaults.charWidth * factor
		});
		best = { ...layout, labelFont: pairLayoutDefaults.labelFont * factor, nodeFont: pairLayoutDefaults.nodeFont * factor, labelHeight: d.edgeLabelHeight * factor };
		const shown = renderedScale(layout, box) * best.labelFont;
		if (shown >= minLabelPx || shown === 0) break;
		factor *= minLabelPx / shown;
	}
	return best!;
}

/** How much the picture is scaled to fit its box (`preserveAspectRatio="xMidYMid meet"`). */
export function renderedScale(layout: { width: number; height: number }, box: { width: number; height: number }): number {
	if (layout.width <= 0 || layout.height <= 0) return 0;
	return Math.min(box.width / layout.width, box.height / layout.height);
}
