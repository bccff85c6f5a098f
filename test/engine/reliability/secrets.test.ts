/**
 * Secrets (issue 10): no API key, token or webhook signature key in any output item, error message
 * or description, run data, or line printed by a failing run, including when an API (or a proxy in
 * front of it) echoes the secret back in its answer. Everything a run produces is captured
 * (n8n's logger, process.stdout / stderr, console) and searched. The same search over a real n8n's log and
 * stored executions is in test/e2e/reliability.test.ts.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Logger } from '@n8n/backend-common';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { DEMO_CREDENTIALS, DEMO_KISI } from '../../../sandbox/scenarios/demo';
import { type RunResult, runWorkflow, type WorkflowJson } from '../../harness/engine';
import { type FaultSpec, withSandbox } from '../../harness/sandbox';
import { loadTemplate } from '../../harness/templates';
import { convergedScenario, credentials, type Outcome, printOutcomes, runSync, seededScenario, type Source } from './helpers';
import { TriggerEndpoint } from './trigger-endpoint';

jest.setTimeout(60_000);

const SECRETS = [DEMO_CREDENTIALS.kisi.apiKey, DEMO_CREDENTIALS.teamup.token, DEMO_CREDENTIALS.glofox.apiKey, DEMO_CREDENTIALS.glofox.apiToken];
const sandbox = withSandbox(() => convergedScenario('glofox'));
const outcomes: Outcome[] = [];
afterAll(() => printOutcomes('Secrets', outcomes));

/** An Error's own text (JSON.stringify drops it), for log metadata. */
const text = (value: unknown) =>
	JSON.stringify(value, (_key, item: unknown) => (item instanceof Error ? { ...item, message: item.message, stack: item.stack } : item)) ?? String(value);

/**
 * Everything logged or printed while `work` runs: n8n's logger (every line it would write, before
 * its transports: in a jest worker its console output does not go through process.stdout),
 * process.stdout / stderr, and every console method.
 */
async function captured<T>(work: () => Promise<T>): Promise<{ value: T; printed: string }> {
	const lines: string[] = [];
	const keep = (chunk: unknown) => lines.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
	// `log` (private in its typings) is where every level's message goes.
	const proto = Logger.prototype as unknown as { log: (level: string, message: string, metadata: unknown) => void };
	const logger = jest.spyOn(proto, 'log').mockImplementation((level, message, metadata) => keep(`${level} ${message} ${text(metadata)}`));
	const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true));
	const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true));
	const consoles = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => keep(args.map((arg) => (typeof arg === 'string' ? arg : text(arg))).join(' '))),
	);
	try {
		return { value: await work(), printed: lines.join('\n') };
	} finally {
		for (const spy of [logger, out, err, ...consoles]) spy.mockRestore();
	}
}

/** All a failing run leaves behind, as one text. */
function everything(result: RunResult, printed: string): string {
	return [result.error?.message, result.error?.description, JSON.stringify(result.run), printed].join('\n');
}

function expectNoSecret(text: string, secrets: readonly string[] = SECRETS) {
	for (const secret of secrets) expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
}

interface SyncCase {
	name: string;
	source: Source;
	faults: FaultSpec[];
	/** What the failure must say (it is a real failure, not a silent one). */
	error: RegExp;
	/** The API echoed a secret: the message must show it was removed. */
	redacted?: boolean;
	credentials?: Partial<Record<'kisi' | 'teamup' | 'glofox', IDataObject>>;
}

const echo = {
	kisi: JSON.stringify({ error: `Invalid API key ${DEMO_CREDENTIALS.kisi.apiKey} (header "Authorization: KISI-LOGIN ${DEMO_CREDENTIALS.kisi.apiKey}")`, code: 'e40100' }),
	teamup: JSON.stringify({ code: 'authentication_failed', message: `Invalid token: Bearer ${DEMO_CREDENTIALS.teamup.token}`, type: 'invalid_request_error' }),
	glofox: JSON.stringify({ message: `Forbidden: x-api-key ${DEMO_CREDENTIALS.glofox.apiKey}, x-glofox-api-token ${DEMO_CREDENTIALS.glofox.apiToken}` }),
};

const cases: SyncCase[] = [
	{ name: 'Kisi refuses the key (401)', source: 'glofox', faults: [{ service: 'kisi', status: 401 }], error: /^Kisi refused the API key in credential "Kisi account" \(401/ },
	{ name: 'Kisi echoes the key in its 401 body', source: 'glofox', faults: [{ service: 'kisi', status: 401, body: echo.kisi }], error: /^Kisi refused the API key in credential "Kisi account" \(401: Invalid API key \[redacted\]/, redacted: true },
	{
		name: 'Kisi echoes the key in a 422 on a create (sync partly applied)',
		source: 'glofox',
		faults: [{ service: 'kisi', method: 'POST', path: '/shares', status: 422, body: JSON.stringify({ errors: { base: [`not allowed for key ${DEMO_CREDENTIALS.kisi.apiKey}`] } }) }],
		error: /^The group is only partly synced: .*\[redacted\]/,
		redacted: true,
	},
	{ name: 'Glofox refuses the key (403)', source: 'glofox', faults: [{ service: 'glofox', status: 403 }], error: /^Glofox refused the API key in credential "Glofox account" \(403/ },
	{ name: 'Glofox echoes key and token in its 403 body', source: 'glofox', faults: [{ service: 'glofox', status: 403, body: echo.glofox }], error: /\[redacted\].*\[redacted\]/, redacted: true },
	{
		name: 'Glofox answers 200 success:false quoting the token',
		source: 'glofox',
		faults: [{ service: 'glofox', status: 200, body: JSON.stringify({ success: false, message: `Unauthorized token ${DEMO_CREDENTIALS.glofox.apiToken}`, message_code: 'UNAUTHORIZED' }) }],
		error: /^Glofox refused the API token or the Location ID in credential "Glofox account": Unauthorized token \[redacted\] \(UNAUTHORIZED\)/,
		redacted: true,
	},
	{ name: 'a wrong Glofox token (the sandbox\'s own success:false)', source: 'glofox', faults: [], credentials: { glofox: { apiToken: 'wrong-token-value' } }, error: /UNAUTHORIZED/ },
	{ name: 'TeamUp refuses the token (401)', source: 'teamup', faults: [{ service: 'teamup', status: 401 }], error: /TeamUp/ },
	{ name: 'TeamUp echoes the token in its 401 body', source: 'teamup', faults: [{ service: 'teamup', status: 401, body: echo.teamup }], error: /\[redacted\]/, redacted: true },
	{ name: 'TeamUp down (503, Retry-After: 0)', source: 'teamup', faults: [{ service: 'teamup', status: 503, headers: { 'Retry-After': '0' } }], error: /^TeamUp answered 503/ },
	{ name: 'Kisi unreachable (connection refused)', source: 'teamup', faults: [], credentials: { kisi: { baseUrl: 'http://127.0.0.1:9/kisi' } }, error: /^Could not reach Kisi \(connection refused\) on GET \/groups after 6 attempts\.$/ },
];

describe('failing sync runs never show a secret', () => {
	beforeEach(async () => {
		await sandbox.load(seededScenario('glofox'));
	});

	it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		for (const fault of c.faults) await sandbox.fault(fault);
		const workflow = loadTemplate(c.source === 'glofox' ? 'glofox-kisi-access-sync' : 'teamup-kisi-access-sync');
		const { value: result, printed } = await captured(async () =>
			c.credentials
				? await runWorkflow(workflow, {
						credentials: credentials(sandbox.url).map((credential) => {
							const service = credential.type === 'kisiApi' ? 'kisi' : credential.type === 'teamUpApi' ? 'teamup' : 'glofox';
							return { ...credential, data: { ...credential.data, ...(c.credentials?.[service] as ICredentialDataDecryptedObject) } };
						}),
						startNode: 'Run now',
					})
				: await runSync(sandbox, c.source),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(c.error);
		// The capture is not empty: the engine prints the failure (where a leak would show).
		expect(printed).toContain(result.error!.message.slice(0, 25));
		expectNoSecret(everything(result, printed));
		expectNoSecret(printed, ['wrong-token-value']);
		if (c.redacted) expect(`${result.error?.message} ${result.error?.description}`).toContain('[redacted]');
		outcomes.push({ category: 'Secrets', case: c.name, outcome: `failed: ${result.error!.message.slice(0, 140)}; no secret in message, description, run data or printed output` });
	});

	it('a secret echoed inside a successful answer does not reach the output items', async () => {
		const ana = [...sandbox.running.state.glofox.members.values()].find((member) => member.email === 'ana.ruiz@example.com') as IDataObject;
		ana.last_name = `Ruiz ${DEMO_CREDENTIALS.glofox.apiToken}`;
		sandbox.running.state.invalidate();
		const { value: result, printed } = await captured(async () => await runSync(sandbox, 'glofox'));
		expect(result.error).toBeUndefined();
		const profile = result.output('Glofox: access profiles').find((item) => item.email === 'ana.ruiz@example.com');
		expect(profile?.name).toBe('Ana Ruiz [redacted]');
		expectNoSecret(everything(result, printed));
		outcomes.push({ category: 'Secrets', case: 'a secret inside a successful answer (member name)', outcome: 'output item shows [redacted]; no secret anywhere' });
	});

	it('Continue On Fail: the error items carry no secret', async () => {
		await sandbox.fault({ service: 'kisi', status: 401, body: echo.kisi });
		const workflow: WorkflowJson = {
			nodes: [
				{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'k',
					name: 'Kisi',
					type: 'n8n-nodes-gym-access.kisi',
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'share', operation: 'create', email: '={{ $json.email }}', groupId: { __rl: true, mode: 'id', value: String(DEMO_KISI.membersGroupId) } } as INodeParameters,
					credentials: { kisiApi: { id: 'KisiAccount00001', name: 'Kisi account' } },
					onError: 'continueRegularOutput',
				},
			],
			connections: { Start: { main: [[{ node: 'Kisi', type: 'main', index: 0 }]] } },
		};
		const { value: result, printed } = await captured(
			async () => await runWorkflow(workflow, { credentials: credentials(sandbox.url), startNode: 'Start', triggerItems: [{ email: 'a@example.com' }, { email: 'b@example.com' }] }),
		);
		expect(result.error).toBeUndefined();
		const items = result.items('Kisi');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of items) expect(item.json.error).toMatch(/^Kisi refused the API key in credential "Kisi account" \(401: Invalid API key \[redacted\]/);
		expectNoSecret(everything(result, printed));
		outcomes.push({ category: 'Secrets', case: 'Continue On Fail error items (Kisi echoing its key)', outcome: 'paired error items, [redacted]; no secret' });
	});
});

describe('the Kisi Trigger never shows its signature key (or the Kisi key)', () => {
	let endpoint: TriggerEndpoint;
	beforeAll(async () => {
		await sandbox.clearFaults();
		await sandbox.load(convergedScenario('glofox'));
		endpoint = new TriggerEndpoint(loadTemplate('kisi-unlock-glofox-checkin'), credentials(sandbox.url));
		await endpoint.start();
	});
	afterAll(async () => {
		await endpoint?.stop();
	});

	it('through hostile requests, an email lookup that fails and failing check-ins', async () => {
		const integration = ((await sandbox.state()).kisi.integrations as IDataObject[]).find((it) => it.type === 'event_webhook')!;
		const key = String(integration.signature_key);
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(integration.url).toBe(endpoint.url);
		// Derived from the credential, never stored: not in the workflow's static data either.
		expect(JSON.stringify(endpoint.staticData)).not.toContain(key);
		const sign = (body: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
		const answers: string[] = [];
		const send = async (body: string, headers: Record<string, string>) => {
			const response = await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
			answers.push(`${response.status} ${await response.text()}`);
			await endpoint.settle();
		};
		const event = (overrides: IDataObject = {}) =>
			JSON.stringify({ uuid: randomUUID(), type: 'lock.unlock', actor_type: 'User', actor_id: DEMO_KISI.users.ana, object_type: 'Lock', object_id: 1001, place_id: 10, success: true, created_at: new Date().toISOString(), ...overrides });

		const { printed } = await captured(async () => {
			await send(event(), {});
			await send(event(), { 'x-signature': sign('something else') });
			await send('{"broken', { 'x-signature': sign('{"broken') });
			// Kisi down while the trigger looks the actor's email up: it logs a warning and goes on.
			await sandbox.fault({ service: 'kisi', method: 'GET', path: '/users/*', status: 503, body: echo.kisi, headers: { 'Retry-After': '0' } });
			const lookup = event();
			await send(lookup, { 'x-signature': sign(lookup) });
			await sandbox.clearFaults();
			// Glofox failing the check-in, echoing its secrets.
			await sandbox.fault({ service: 'glofox', status: 403, body: echo.glofox });
			const unlock = event({ actor_email: 'ana.ruiz@example.com' });
			await send(unlock, { 'x-signature': sign(unlock) });
			await sandbox.clearFaults();
		});
		expect(printed).toContain(`Kisi Trigger: could not look up the email of Kisi user ${DEMO_KISI.users.ana}: Kisi answered 503 on GET /users/${DEMO_KISI.users.ana}: Invalid API key [redacted]`);
		const runs = endpoint.executions.map((run) => JSON.stringify(run.run)).join('\n');
		const failed = endpoint.executions.at(-1)!;
		expect(failed.error?.message).toMatch(/^Glofox refused the API key in credential "Glofox account" \(403: Forbidden: x-api-key \[redacted\], x-glofox-api-token \[redacted\]\)/);
		const all = [answers.join('\n'), runs, printed, JSON.stringify(endpoint.deliveries)].join('\n');
		expectNoSecret(all, [...SECRETS, key]);
		outcomes.push({ category: 'Secrets', case: 'Kisi Trigger: hostile requests, failed lookup, failed check-in', outcome: `answers ${answers.map((a) => a.slice(0, 3)).join(', ')}; signature key, Kisi key and Glofox secrets absent from answers, logs and run data` });
	});
});
