/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and the
 * packages they belong to. Usage: node bench/profile-summary.ts <file.cpuprofile> [top=25] [lastSeconds]
 * `lastSeconds` keeps only the samples of the profile's last seconds (a steady-load scenario's
 * window and drain, without the server's start-up and warm-up).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const cpuProfile = z.object({
	nodes: z.array(
		z.object({
			id: z.number(),
			callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
			children: z.array(z.number()).optional()
		})
	),
	samples: z.array(z.number()),
	timeDeltas: z.array(z.number())
});

function packageOf(url: string): string {
	if (url === '') return '(native/V8)';
	const modules = url.lastIndexOf('node_modules/');
	if (modules >= 0) {
		const rest = url.slice(modules + 'node_modules/'.length).split('/');
		return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
	}
	if (url.startsWith('node:')) return 'node core';
	const match = /\/work\/main\/(.+)$/.exec(url) ?? /([^/]+\/[^/]+)$/.exec(url);
	return match?.[1] ?? url;
}

export function summarise(text: string, top: number, lastSeconds = Number.POSITIVE_INFINITY): string {
	const profile = cpuProfile.parse(JSON.parse(text));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const selfUs = new Map<number, number>();
	const endUs = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0);
	let atUs = 0;
	profile.samples.forEach((id, index) => {
		atUs += profile.timeDeltas[index] ?? 0;
		if (endUs - atUs <= lastSeconds * 1e6) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
	});
	const functions = new Map<string, number>();
	const packages = new Map<string, number>();
	let total = 0;
	let idle = 0;
	for (const [id, us] of selfUs) {
		const frame = byId.get(id)?.callFrame;
		if (!frame) continue;
		total += us;
		if (frame.functionName === '(idle)') idle += us;
		const key = `${frame.functionName || '(anonymous)'}  ${packageOf(frame.url)}:${frame.lineNumber + 1}`;
		functions.set(key, (functions.get(key) ?? 0) + us);
		packages.set(packageOf(frame.url), (packages.get(packageOf(frame.url)) ?? 0) + us);
	}
	const busy = total - idle;
	const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
	const lines = [`profile: ${(total / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy (shares below are of busy time)`, '', 'by package:'];
	for (const [name, us] of [...packages].filter(([name]) => name !== '(native/V8)').sort((a, b) => b[1] - a[1]).slice(0, 12)) {
		lines.push(`  ${pct(us)}  ${name}`);
	}
	lines.push('', `top ${top} functions by self time:`);
	for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
		if (name.startsWith('(idle)')) continue;
		lines.push(`  ${pct(us)}  ${name}`);
	}
	return lines.join('\n');
}

const [file, topArg, lastArg] = process.argv.slice(2);
if (!file) {
	process.stderr.write('usage: node bench/profile-summary.ts <file.cpuprofile> [top] [lastSeconds]\n');
	process.exitCode = 2;
} else {
	process.stdout.write(`${summarise(readFileSync(file, 'utf8'), Number(topArg ?? 25), lastArg === undefined ? undefined : Number(lastArg))}\n`);
}
