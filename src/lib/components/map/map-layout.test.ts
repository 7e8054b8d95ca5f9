import { describe, expect, it } from 'vitest';
import { edgePath, layoutMap, mapModel } from './map-layout.ts';

const departments = [
	{ id: 'hmt', name: 'HM Treasury', code: 'HMT', colour: '#af292e' },
	{ id: 'dfe', name: 'Department for Education', code: 'DfE', colour: '#003a69' },
	{ id: 'dwp', name: 'Department for Work and Pensions', code: 'DWP', colour: '#8f1d53' }
];
const dependency = (id: string, from: string, to: string, status: 'agreed' | 'late' | 'cancelled' = 'agreed', archived = false) => ({
	id,
	ref: `DEP-${id}`,
	title: `Dependency ${id}`,
	status,
	archived,
	providerDepartment: from,
	receiverDepartment: to
});

describe('dependency map', () => {
	it('has a node per department touched and an edge per dependency (two between a pair stay two)', () => {
		const model = mapModel([dependency('1', 'hmt', 'dfe'), dependency('2', 'hmt', 'dfe', 'late'), dependency('3', 'dwp', 'unknown-dept'), dependency('4', 'dfe', 'dwp', 'cancelled'), dependency('5', 'dfe', 'dwp', 'agreed', true)], departments);
		expect(model.nodes.map((node) => node.id).sort()).toEqual(['dfe', 'dwp', 'hmt', 'unknown-dept']);
		expect(model.edges.map((edge) => edge.id)).toEqual(['1', '2', '3']);
		expect(model.nodes.find((node) => node.id === 'unknown-dept')?.name).toContain('Unknown department');
	});

	it('lays every node and edge out inside the drawing, providers before receivers', () => {
		const model = mapModel([dependency('1', 'hmt', 'dfe'), dependency('2', 'dfe', 'dwp'), dependency('3', 'hmt', 'dfe', 'late')], departments);
		const layout = layoutMap(model, { aspect: 3 });
		expect(layout.nodes).toHaveLength(3);
		expect(layout.edges).toHaveLength(3);
		for (const node of layout.nodes) {
			expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
			expect(node.x + node.width / 2).toBeLessThanOrEqual(layout.width);
			expect(node.y + node.height / 2).toBeLessThanOrEqual(layout.height);
		}
		for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
		const x = (id: string) => layout.nodes.find((node) => node.id === id)!.x;
		// A wide space gets the left-to-right layout: a chain HMT → DfE → DWP runs across.
		expect(x('hmt')).toBeLessThan(x('dfe'));
		expect(x('dfe')).toBeLessThan(x('dwp'));
		expect(edgePath(layout.edges[0]!.points)).toMatch(/^M[\d.]+,[\d.]+ .*L[\d.]+,[\d.]+$/);
	});

	it('turns a long chain top to bottom when the space is tall', () => {
		const chain = [dependency('1', 'hmt', 'dfe'), dependency('2', 'dfe', 'dwp')];
		const tall = layoutMap(mapModel(chain, departments), { aspect: 0.5 });
		const y = (id: string) => tall.nodes.find((node) => node.id === id)!.y;
		expect(y('hmt')).toBeLessThan(y('dfe'));
		expect(y('dfe')).toBeLessThan(y('dwp'));
		expect(layoutMap(mapModel([], departments))).toEqual({ width: 0, height: 0, nodes: [], edges: [] });
	});
});
