/**
 * `npm run bench`: measures our server and the reference Yjs servers (y-websocket, Hocuspocus)
 * in one run on this machine, prints every figure with the ratio ours/baseline, writes the run to
 * bench/results/ and to docs/performance.md. See bench/README.md.
 */
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZodError } from 'zod';
import { scenarios } from './scenarios/index.ts';
import { failed, notAvailable, resultStatus, roundsOf, type RunContext, type ServerResult, type Scenario } from './scenarios/scenario.ts';
import { parseCli, usage, type CliOptions } from './lib/cli-options.ts';
import { planCpus, pinThisProcess, type CpuPlan } from './lib/cpu-plan.ts';
import { ensureBaselines } from './lib/baselines.ts';
import { allServerKinds, repoRoot, serverKinds, unavailableReason, type ServerKind } from './lib/servers.ts';
import { cleanFigures, combineRounds, currentCommit, describeMachine, roundByRoundFigures, type RunReport, type ScenarioReport } from './lib/run-report.ts';
import { checkTargets } from './lib/targets.ts';
import { consoleReport, historyRow, markdownReport } from './lib/report.ts';
import { updatePerformanceDoc } from './lib/performance-doc.ts';
import { quietDefaults } from './lib/quiet-machine.ts';

const resultsDir = join(repoRoot, 'bench/results');

function log(message: string): void {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function commandLine(argv: string[]): string {
	const args = argv.join(' ');
	return process.env.npm_lifecycle_event === 'bench' ? `npm run bench${args ? ` -- ${args}` : ''}` : `node bench/run.ts${args ? ` ${args}` : ''}`;
}

async function runOne(scenario: Scenario, server: ServerKind, context: RunContext): Promise<ServerResult> {
	const skip = scenario.unavailable?.() ?? scenario.notApplicable?.(server) ?? unavailableReason(server);
	if (skip) return notAvailable(server, skip);
	context.log(`${scenario.name} × ${server}`);
	try {
		const result = await scenario.run(server, {
			...context,
			profileDir: context.profileDir && join(context.profileDir, scenario.name),
			log: (message) => context.log(`${scenario.name} × ${server}: ${message}`)
		});
		return { ...result, figures: cleanFigures(result.figures) };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		context.log(`${scenario.name} × ${server} FAILED: ${reason}`);
		return failed(server, reason.replace(/\s+/g, ' ').slice(0, 400));
	}
}

function record(report: RunReport, markdown: string, history: string[]): void {
	const stamp = report.startedAt.replace(/[:.]/g, '-');
	mkdirSync(join(resultsDir, 'tmp'), { recursive: true });
	const json = `${JSON.stringify(report, null, '\t')}\n`;
	writeFileSync(join(resultsDir, 'tmp', `${stamp}.json`), json);
	writeFileSync(join(resultsDir, 'latest.json'), json);
	appendFileSync(join(resultsDir, 'history.jsonl'), `${JSON.stringify(report)}\n`);
	updatePerformanceDoc(join(repoRoot, 'docs/performance.md'), markdown, history);
	log(`wrote bench/results/latest.json, bench/results/history.jsonl and docs/performance.md`);
}

async function main(argv: string[]): Promise<void> {
	let options: CliOptions;
	try {
		options = parseCli(argv, scenarios.map((scenario) => scenario.name));
	} catch (error) {
		const message = error instanceof ZodError ? error.issues.map((issue) => issue.message).join('; ') : error instanceof Error ? error.message : String(error);
		process.stderr.write(`${message}\n\n${usage}\n`);
		process.exitCode = 2;
		return;
	}
	if (options.help) return void process.stdout.write(`${usage}\n`);
	if (options.list) {
		for (const scenario of scenarios) process.stdout.write(`${scenario.name.padEnd(16)} ${scenario.describe(options.quick, options.durationS && options.durationS * 1000)}\n`);
		return;
	}
	const selected = options.scenarios.length > 0 ? scenarios.filter((scenario) => options.scenarios.includes(scenario.name)) : scenarios;
	const servers = options.servers.length > 0 ? allServerKinds.filter((server) => options.servers.includes(server)) : allServerKinds;
	if (servers.some((server) => server !== serverKinds.ours)) ensureBaselines(log);

	const plan: CpuPlan = planCpus(options.pin);
	pinThisProcess(plan);
	log(plan.note);
	const startedAt = new Date().toISOString();
	const context: RunContext = {
		plan,
		workers: options.workers ?? Math.max(2, plan.generatorCores),
		quick: options.quick,
		durationMs: options.durationS === undefined ? undefined : options.durationS * 1000,
		quietWaitMs: options.quick ? quietDefaults.quickMaxWaitMs : quietDefaults.fullMaxWaitMs,
		profileDir: options.profile ? join(resultsDir, 'tmp', 'profiles', startedAt.replace(/[:.]/g, '-')) : undefined,
		log
	};
	if (context.profileDir) log(`CPU profiles go to ${context.profileDir}`);

	// Round after round of every scenario (not every round of one scenario, then the next): scenarios
	// read against each other (meeting and meeting-unruled) then meet the machine's drift alike.
	const collected = selected.map(() => new Map<ServerKind, ServerResult[]>(servers.map((server) => [server, []])));
	const roundsOfScenario = selected.map((scenario) => roundsOf(scenario, options.rounds, options.quick));
	for (let round = 0; round < Math.max(...roundsOfScenario); round++) {
		for (const [index, scenario] of selected.entries()) {
			const rounds = roundsOfScenario[index]!;
			if (round >= rounds) continue;
			if (rounds > 1) log(`${scenario.name}: round ${round + 1} of ${rounds}`);
			// Rotate the order so that no server always runs first (or last) in a round.
			const order = servers.map((_, at) => servers[(at + round) % servers.length] as ServerKind);
			for (const server of order) collected[index]!.get(server)?.push(await runOne(scenario, server, context));
		}
	}
	const reports: ScenarioReport[] = selected.map((scenario, index) => ({
		name: scenario.name,
		title: scenario.title,
		description: `${scenario.describe(options.quick, context.durationMs)}${roundsOfScenario[index]! > options.rounds ? `; medians of ${roundsOfScenario[index]} rounds` : ''}`,
		results: servers.map((server) => (scenario.combine ?? combineRounds)(collected[index]!.get(server) ?? []))
	}));

	const report: RunReport = {
		version: 1,
		startedAt,
		finishedAt: new Date().toISOString(),
		command: commandLine(argv),
		commit: currentCommit(repoRoot),
		quick: options.quick,
		rounds: options.rounds,
		machine: describeMachine(plan.note),
		scenarios: reports,
		roundByRound: roundByRoundFigures(new Map(selected.map((scenario, index) => [scenario.name, collected[index]!.get(serverKinds.ours) ?? []])))
	};
	const targets = checkTargets(report);
	process.stdout.write(`${consoleReport(report, targets)}\n`);
	if (options.record) record(report, markdownReport(report, targets), historyRow(report, targets));
	// A scenario that could not be measured must not pass for a run that measured everything.
	const failures = reports.flatMap((scenario) => scenario.results.filter((result) => result.status === resultStatus.failed).map((result) => `${scenario.name} × ${result.server}`));
	if (failures.length > 0) {
		process.stderr.write(`bench: ${failures.length} scenario run(s) failed: ${failures.join(', ')} (see the log above)\n`);
		process.exitCode = 1;
	}
}

await main(process.argv.slice(2));
