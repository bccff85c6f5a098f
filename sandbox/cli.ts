/**
 * npm run sandbox -- --scenario <file.json | demo> [--port 4010] [--realtime]
 * npm run sandbox -- --members 50000 --seed 1 [--existing-shares 0.3]
 * npm run sandbox -- --write-demo            (regenerates sandbox/scenarios/demo.json and exits)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CREDENTIALS, DEMO_NOW, buildDemoScenario } from './scenarios/demo';
import { generateScenario } from './generate';
import { type ScenarioInput, ScenarioError, readScenarioFile, shiftScenario } from './scenario';
import { startSandbox } from './index';

const HELP = `Gym access sandbox: Kisi, TeamUp and Glofox on localhost.

Options:
  --scenario <file.json|demo>  scenario to serve ("demo": the demo gym built for the real current time)
  --members <N> [--seed <S>]   serve a generated gym of N members instead (deterministic for a seed)
  --existing-shares <0..1>     with --members: fraction of people who already have a Kisi share
  --port <n>                   port on 127.0.0.1 (default 4010; 0 = any free port)
  --realtime                   shift every instant so that the scenario's "now" is the real current time
  --no-rate-limits             switch the documented rate limits off
  --rate-limit-scale <x>       multiply every allowed rate by x (windows divided by x)
  --write <file>               write the scenario that would be served to <file> and exit
  --write-demo                 regenerate sandbox/scenarios/demo.json (now = ${DEMO_NOW}) and exit
  --logger                     log every request (fastify logger)
  --help`;

function fail(message: string): never {
	console.error(message);
	process.exit(2);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			scenario: { type: 'string' },
			members: { type: 'string' },
			seed: { type: 'string' },
			'existing-shares': { type: 'string' },
			port: { type: 'string' },
			realtime: { type: 'boolean' },
			'no-rate-limits': { type: 'boolean' },
			'rate-limit-scale': { type: 'string' },
			write: { type: 'string' },
			'write-demo': { type: 'boolean' },
			logger: { type: 'boolean' },
			help: { type: 'boolean' },
		},
		allowPositionals: false,
	});
	if (values.help) {
		console.log(HELP);
		return;
	}
	if (values['write-demo']) {
		const file = join(__dirname, 'scenarios', 'demo.json');
		writeFileSync(file, `${JSON.stringify(buildDemoScenario(new Date(DEMO_NOW)), null, '\t')}\n`);
		console.log(`wrote ${file}`);
		return;
	}

	let scenario: ScenarioInput;
	if (values.members !== undefined) {
		const members = Number(values.members);
		if (!Number.isInteger(members) || members < 0) fail('--members must be a whole number');
		const seed = values.seed === undefined ? 1 : Number(values.seed);
		if (!Number.isInteger(seed)) fail('--seed must be an integer');
		const share = values['existing-shares'] === undefined ? 0 : Number(values['existing-shares']);
		if (!(share >= 0 && share <= 1)) fail('--existing-shares must be between 0 and 1');
		scenario = generateScenario({ members, seed, now: new Date(), existingShares: share });
	} else if (values.scenario === 'demo') {
		scenario = buildDemoScenario(new Date());
	} else if (values.scenario) {
		scenario = readScenarioFile(values.scenario) as ScenarioInput;
		if (values.realtime) {
			if (!scenario || typeof scenario !== 'object' || typeof scenario.now !== 'string')
				fail('--realtime needs a scenario with a "now"');
			scenario = shiftScenario(scenario, Date.now() - Date.parse(scenario.now));
		}
	} else fail(`--scenario or --members is required\n\n${HELP}`);

	if (values['no-rate-limits']) scenario.rateLimits = false;
	if (values['rate-limit-scale'] !== undefined) {
		const scale = Number(values['rate-limit-scale']);
		if (!(scale > 0)) fail('--rate-limit-scale must be a positive number');
		scenario.rateLimitScale = scale;
	}
	if (values.write) {
		writeFileSync(values.write, `${JSON.stringify(scenario, null, '\t')}\n`);
		console.log(`wrote ${values.write}`);
		return;
	}

	const port = values.port === undefined ? 4010 : Number(values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be a port number');
	const started = performance.now();
	let sandbox;
	try {
		sandbox = await startSandbox({ scenario, port, logger: values.logger });
	} catch (e) {
		if (e instanceof ScenarioError) fail(e.message);
		throw e;
	}
	const s = sandbox.state;
	const k = DEMO_CREDENTIALS;
	console.log(`Sandbox listening on ${sandbox.url} (loaded in ${Math.round(performance.now() - started)} ms; clock ${s.clock.nowIso()})`);
	console.log(`  Kisi    ${sandbox.kisiUrl}`);
	console.log(`  TeamUp  ${sandbox.teamupUrl}`);
	console.log(`  Glofox  ${sandbox.glofoxUrl}`);
	console.log(`  Control ${sandbox.url}/__sandbox/state, /requests, /clock, /faults, /kisi/unlock`);
	console.log('Credentials in this scenario:');
	const keys = scenario.kisi?.apiKeys ?? [];
	console.log(`  Kisi    API key ${keys.map((x) => x.key).join(', ') || '(none)'}`);
	console.log(`  TeamUp  token ${(scenario.teamup?.tokens ?? []).join(', ') || '(none)'}, provider id ${scenario.teamup?.provider_id ?? '-'}`);
	if (scenario.glofox)
		console.log(`  Glofox  branch ${scenario.glofox.branch_id}, API key ${scenario.glofox.api_key}, token ${scenario.glofox.api_token}`);
	if (keys.some((x) => x.key === k.kisi.apiKey)) console.log('  (the demo credentials; see sandbox/README.md)');
	console.log(`Rate limits: ${JSON.stringify(s.limiter.limits)}`);

	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping the sandbox`);
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
