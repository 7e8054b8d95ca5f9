import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram } from './histogram.ts';

test('percentiles of a uniform range are within one bucket of the truth', () => {
	const histogram = new Histogram();
	for (let us = 1; us <= 100_000; us++) histogram.recordUs(us);
	for (const p of [50, 95, 99]) {
		const truth = p * 1000;
		const got = histogram.percentileUs(p);
		assert.ok(Math.abs(got - truth) / truth < 0.008, `p${p}: ${got} vs ${truth}`);
	}
	assert.equal(histogram.percentileUs(100), 100_000);
	assert.equal(histogram.count, 100_000);
});

test('small values are exact', () => {
	const histogram = new Histogram();
	for (const us of [3, 3, 7, 200]) histogram.recordUs(us);
	assert.equal(histogram.percentileUs(50), 3);
	assert.equal(histogram.percentileUs(75), 7);
	assert.equal(histogram.percentileUs(99), 200);
});

test('merging two halves equals recording everything in one', () => {
	const whole = new Histogram();
	const left = new Histogram();
	const right = new Histogram();
	for (let i = 0; i < 5000; i++) {
		const us = (i * 7919) % 50_000;
		whole.recordUs(us);
		(i % 2 === 0 ? left : right).recordUs(us);
	}
	const merged = Histogram.from(left.toJSON());
	merged.merge(right.toJSON());
	assert.deepEqual(merged.summary(), whole.summary());
});

test('an empty histogram summarises to zeros', () => {
	assert.deepEqual(new Histogram().summary(), { count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 });
});
