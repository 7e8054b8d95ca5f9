/** The benchmark's command line, validated. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { allServerKinds, type ServerKind } from './servers.ts';

export const usage = `Usage: npm run bench -- [options]

  --scenario NAME   run only this scenario (repeatable, or comma-separated)
  --server NAME     run only against: ours, y-websocket, hocuspocus (repeatable, or comma-separated)
  --quick           short windows (a few seconds per scenario)
  --duration S      measured window of the steady-load scenarios in seconds
                    (default 30; 3 with --quick)
  --workers N       load-generator worker threads (default: 2, or one per generator core if more)
  --rounds N        run the scenarios in turn N times over, servers in rotating order, and report medians
                    (default 1; use 3 on a machine that other work shares; without --quick,
                    rules-cost takes at least 5 rounds and the rules-cost-*turns 3)
  --profile         run servers under node --cpu-prof; profiles in bench/results/tmp/profiles/
  --no-pin          do not pin servers and generator to separate cores with taskset
  --no-record       print only: do not write bench/results or docs/performance.md
  --list            list the scenarios and exit
  -h, --help        this text`;

const list = (values: string[] | undefined) => (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);

export function parseCli(argv: string[], scenarioNames: string[]) {
	const { values } = parseArgs({
		args: argv,
		options: {
			scenario: { type: 'string', multiple: true },
			server: { type: 'string', multiple: true },
			quick: { type: 'boolean', default: false },
			duration: { type: 'string' },
			workers: { type: 'string' },
			rounds: { type: 'string' },
			profile: { type: 'boolean', default: false },
			'no-pin': { type: 'boolean', default: false },
			'no-record': { type: 'boolean', default: false },
			list: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		},
		strict: true
	});
	const schema = z.object({
		scenarios: z.array(z.enum(scenarioNames as [string, ...string[]], { error: `a scenario is one of: ${scenarioNames.join(', ')}` })),
		servers: z.array(z.enum(allServerKinds as [ServerKind, ...ServerKind[]], { error: `a server is one of: ${allServerKinds.join(', ')}` })),
		quick: z.boolean(),
		durationS: z.coerce.number().min(1, { error: 'a duration is at least 1 second' }).max(3_600).optional(),
		workers: z.coerce.number().int().min(1).max(16).optional(),
		rounds: z.coerce.number().int().min(1).max(9).default(1),
		profile: z.boolean(),
		pin: z.boolean(),
		record: z.boolean(),
		list: z.boolean(),
		help: z.boolean()
	});
	return schema.parse({
		scenarios: list(values.scenario),
		servers: list(values.server),
		quick: values.quick,
		durationS: values.duration,
		workers: values.workers,
		rounds: values.rounds,
		profile: values.profile,
		pin: !values['no-pin'],
		record: !values['no-record'],
		list: values.list,
		help: values.help
	});
}

export type CliOptions = ReturnType<typeof parseCli>;
