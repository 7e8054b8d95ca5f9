import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCpuProfile, splitTrace } from './page-profile.ts';

const main = { name: 'thread_name', ph: 'M', pid: 1, tid: 7, args: { name: 'CrRendererMain' } };
const span = (name: string, ts: number, dur: number, tid = 7) => ({ name, ph: 'X', pid: 1, tid, ts, dur });

test('trace phases count self time: nested events are taken out of their parent, other threads ignored', () => {
	const text = JSON.stringify({
		traceEvents: [
			main,
			span('RunTask', 0, 100_000),
			span('FunctionCall', 0, 60_000),
			span('Layout', 10_000, 20_000),
			span('Paint', 70_000, 10_000),
			span('Layout', 0, 500_000, 9)
		]
	});
	const summary = splitTrace(text);
	assert.match(summary, /run script\s+40 ms/);
	assert.match(summary, /style and layout\s+20 ms/);
	assert.match(summary, /paint\s+10 ms/);
	assert.match(summary, /task overhead\s+30 ms/);
	assert.match(summary, /100 ms traced/);
});

test('CPU profile samples go to the innermost matching bucket of their stack', () => {
	const profile = {
		nodes: [
			{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 4] },
			{ id: 2, callFrame: { functionName: 'onmessage', url: 'http://x/_app/doc-session.js' }, children: [3] },
			{ id: 3, callFrame: { functionName: 'applyUpdate', url: 'http://x/node_modules/yjs/dist/yjs.mjs' } },
			{ id: 4, callFrame: { functionName: '(garbage collector)', url: '' } }
		],
		samples: [3, 3, 3, 4, 2],
		timeDeltas: [10_000, 10_000, 10_000, 5_000, 5_000]
	};
	const summary = splitCpuProfile(profile);
	assert.match(summary, /busy 40 ms/);
	assert.match(summary, /apply the Yjs state\s+30 ms\s+75 %/);
	assert.match(summary, /\(garbage collector\)\s+5 ms/);
	assert.match(summary, /other script\s+5 ms/);
});
