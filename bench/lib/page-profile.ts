/**
 * Where a page's main thread goes while it opens: a V8 CPU profile over CDP (JavaScript, split into
 * applying the Yjs state, rendering, storing in IndexedDB and the rest) and a Chromium trace (the
 * browser's own work: parsing and compiling scripts, style and layout, paint), both written to
 * files DevTools opens. Used by the browser scenario under `--profile`.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Browser, CDPSession, Page } from 'playwright-core';

const cpuProfile = z.object({
	nodes: z.array(
		z.object({
			id: z.number(),
			callFrame: z.object({ functionName: z.string(), url: z.string() }),
			children: z.array(z.number()).optional()
		})
	),
	samples: z.array(z.number()),
	timeDeltas: z.array(z.number())
});
type CpuProfile = z.infer<typeof cpuProfile>;

const traceFile = z.object({
	traceEvents: z.array(
		z.object({ name: z.string(), ph: z.string(), ts: z.number().optional(), dur: z.number().optional(), pid: z.number().optional(), tid: z.number().optional(), args: z.unknown().optional() })
	)
});

/**
 * The JavaScript split: a sample belongs to the first bucket any frame of its stack falls in
 * (innermost first). Function names survive only in an unminified build (`npx vite build --minify
 * false`); on the normal build most samples are "other script", and the page's own measures
 * (`mc:board-apply`, ...) give the split instead.
 */
const jsBuckets: { bucket: string; matches: (name: string, url: string) => boolean }[] = [
	{ bucket: 'apply the Yjs state', matches: (name, url) => /\/yjs[/.]|yjs\.js|lib0/.test(url) && /^(applyUpdate|applyUpdateV2|readUpdate|readUpdateV2|integrateStructs|readClientsStructRefs)$/.test(name) },
	{ bucket: 'store in IndexedDB', matches: (_name, url) => /y-indexeddb|idb/.test(url) },
	{ bucket: 'render (Svelte)', matches: (name, url) => /svelte/.test(url) || /\.svelte/.test(url) || /^(flush_effects|flushSync|update_effect|mount|hydrate)$/.test(name) }
];

export type PageProfile = { session: CDPSession; browser: Browser; page: Page };

/** Starts a CPU profile (250 µs sampling) and a trace of the page; call before navigating to what is measured. */
export async function startPageProfile(browser: Browser, page: Page): Promise<PageProfile> {
	const session = await page.context().newCDPSession(page);
	await session.send('Profiler.enable');
	await session.send('Profiler.setSamplingInterval', { interval: 250 });
	await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'loading'] });
	await session.send('Profiler.start');
	return { session, browser, page };
}

/** Stops both, writes `<path>.cpuprofile` and `<path>.trace.json`, returns a printable summary. */
export async function stopPageProfile(profile: PageProfile, path: string): Promise<string> {
	const { profile: raw } = await profile.session.send('Profiler.stop');
	const trace = await profile.browser.stopTracing();
	await profile.session.detach();
	writeFileSync(`${path}.cpuprofile`, JSON.stringify(raw));
	writeFileSync(`${path}.trace.json`, trace);
	return [`profile: ${path}.cpuprofile, trace: ${path}.trace.json`, splitCpuProfile(cpuProfile.parse(raw)), splitTrace(trace.toString('utf8'))].join('\n');
}

const ms = (us: number): string => `${(us / 1000).toFixed(0)} ms`;

/** Sampled time per bucket: JavaScript by what it does, V8's own rows by name. */
export function splitCpuProfile(profile: CpuProfile): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const bucketOf = new Map<number, string>();
	const classify = (id: number): string => {
		const known = bucketOf.get(id);
		if (known) return known;
		const node = byId.get(id);
		const name = node?.callFrame.functionName ?? '';
		let bucket: string;
		if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') bucket = name;
		else {
			bucket = 'other script';
			for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
				const frame = byId.get(at)?.callFrame;
				const hit = frame && jsBuckets.find((candidate) => candidate.matches(frame.functionName, frame.url));
				if (hit) {
					bucket = hit.bucket;
					break;
				}
			}
		}
		bucketOf.set(id, bucket);
		return bucket;
	};
	const totals = new Map<string, number>();
	profile.samples.forEach((id, index) => {
		const bucket = classify(id);
		totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[index] ?? 0));
	});
	const busy = [...totals].filter(([bucket]) => bucket !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
	const rows = [...totals].sort((a, b) => b[1] - a[1]).map(([bucket, us]) => `  ${bucket.padEnd(22)} ${ms(us).padStart(9)}${bucket === '(idle)' ? '' : `  ${((us / busy) * 100).toFixed(0)} %`}`);
	return [`CPU profile (main thread, busy ${ms(busy)}):`, ...rows].join('\n');
}

/** Trace event names grouped into the browser's phases; self time (nested events subtracted) on the renderer's main thread. */
const tracePhases: { phase: string; names: RegExp }[] = [
	{ phase: 'parse/compile script', names: /^(v8\.compile|v8\.compileModule|V8\.CompileCode|v8\.parseOnBackground|CompileScript|V8\.ParseLazy|v8\.produceCache|v8\.deserializeOnBackground|v8\.produceModuleCache)$/ },
	{ phase: 'run script', names: /^(EvaluateScript|v8\.evaluateModule|FunctionCall|TimerFire|FireAnimationFrame|EventDispatch|v8\.run|RunMicrotasks|V8\.Execute)$/ },
	{ phase: 'parse HTML', names: /^ParseHTML$/ },
	{ phase: 'style and layout', names: /^(UpdateLayoutTree|Layout|RecalculateStyles|ParseAuthorStyleSheet|HitTest)$/ },
	{ phase: 'paint', names: /^(Paint|PrePaint|Layerize|UpdateLayer|CompositeLayers|Commit|PaintImage|RasterTask)$/ },
	{ phase: 'garbage collection', names: /^(MinorGC|MajorGC|V8\.GC.*|BlinkGC.*)$/ }
];

export function splitTrace(text: string): string {
	const events = traceFile.parse(JSON.parse(text)).traceEvents;
	const main = events.find((event) => event.name === 'thread_name' && JSON.stringify(event.args ?? {}).includes('CrRendererMain'));
	if (!main) return 'trace: no renderer main thread found';
	const spans = events
		.filter((event) => event.pid === main.pid && event.tid === main.tid && event.ph === 'X' && event.ts !== undefined && event.dur !== undefined)
		.map((event) => ({ name: event.name, start: event.ts ?? 0, end: (event.ts ?? 0) + (event.dur ?? 0) }))
		.sort((a, b) => a.start - b.start || b.end - a.end);
	const self = new Map<string, number>();
	const stack: { name: string; end: number; self: number }[] = [];
	const close = (until: number): void => {
		while (stack.length > 0 && (stack.at(-1)?.end ?? 0) <= until) {
			const done = stack.pop();
			if (done) self.set(done.name, (self.get(done.name) ?? 0) + done.self);
		}
	};
	for (const span of spans) {
		close(span.start);
		const outer = stack.at(-1);
		if (outer) outer.self -= span.end - span.start;
		stack.push({ name: span.name, end: span.end, self: span.end - span.start });
	}
	close(Number.POSITIVE_INFINITY);
	const phases = new Map<string, number>();
	for (const [name, us] of self) {
		const phase = tracePhases.find((candidate) => candidate.names.test(name))?.phase ?? (name === 'RunTask' ? 'task overhead' : `other (${name})`);
		phases.set(phase, (phases.get(phase) ?? 0) + us);
	}
	const rows = [...phases]
		.sort((a, b) => b[1] - a[1])
		.filter(([, us]) => us >= 5_000)
		.map(([phase, us]) => `  ${phase.padEnd(30)} ${ms(us).padStart(9)}`);
	const traced = [...phases].reduce((sum, [, us]) => sum + us, 0);
	return [`trace (renderer main thread, ${ms(traced)} traced; self time by phase, ≥ 5 ms):`, ...rows].join('\n');
}
