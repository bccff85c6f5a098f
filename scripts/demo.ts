/**
 * `npm start`: the sandbox's demo gym plus a real n8n (the pinned release) with this pack
 * installed from its tarball, credentials pointing at the sandbox, the two 15-minute syncs, the two
 * real-time templates and the two check-in templates imported and activated (the sandbox's Glofox
 * calls the Glofox real-time template, signed with the credential's Webhook Secret, as Glofox
 * support would set it up). Prints where to look and what to try; Ctrl-C stops everything.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox } from '../sandbox';
import { buildDemoScenario, DEMO_KISI } from '../sandbox/scenarios/demo';
import { N8nInstance, OWNER, portIsFree } from '../test/harness/n8n-process';
import { ROOT } from '../test/harness/package-types';
import { realtimeGyms } from '../test/harness/realtime';
import { loadTemplate, sandboxCredentials, type TemplateName } from '../test/harness/templates';

const TEMPLATES: TemplateName[] = [
	'glofox-kisi-access-sync',
	'teamup-kisi-access-sync',
	'teamup-kisi-realtime-access',
	'glofox-kisi-realtime-access',
	'kisi-unlock-glofox-checkin',
	'kisi-unlock-teamup-checkin',
];
/** The demo's Glofox Webhook Secret: in the Glofox credential and in the sandbox's Glofox webhook. */
const GLOFOX_WEBHOOK_SECRET = 'demo-glofox-webhook-secret';
/** The demo person who buys a membership in "Try" 4: a lead with no membership and no Kisi user yet. */
const NEW_MEMBER = 'xena.lead@example.com';

/** Stops whatever has been started so far and exits: on Ctrl-C, and when the demo fails half-way. */
let stop = async (code: number): Promise<never> => process.exit(code);

async function main(): Promise<void> {
	const wantedSandboxPort = Number(process.env.SANDBOX_PORT ?? 4010);
	const sandboxPort = (await portIsFree(wantedSandboxPort)) ? wantedSandboxPort : 0;
	const now = new Date();
	const scenario = buildDemoScenario(now);
	const sandbox = await startSandbox({ scenario, port: sandboxPort });
	stop = async (code) => {
		await sandbox.close();
		process.exit(code);
	};
	console.log(`✔ Sandbox (Kisi, TeamUp, Glofox) with the demo gym on ${sandbox.url}`);

	const userFolder = join(ROOT, '.n8n-demo');
	rmSync(userFolder, { recursive: true, force: true });
	const templates = TEMPLATES.map((name) => loadTemplate(name));
	const n8n = new N8nInstance({
		userFolder,
		port: Number(process.env.N8N_PORT ?? 5678),
		credentials: sandboxCredentials(sandbox.url, { glofox: { webhookSecret: GLOFOX_WEBHOOK_SECRET } }),
		workflows: templates,
		publish: templates.map((template) => template.id),
	});
	console.log('… starting n8n with the pack installed from its tarball (about 20 s)');

	let stopping = false;
	stop = async (code) => {
		if (!stopping) {
			stopping = true;
			console.log('\n… stopping n8n and the sandbox');
			await n8n.stop();
			await sandbox.close();
		}
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	await n8n.start();
	// What Glofox support does on request: call the real-time template's URL, signed with the secret.
	const glofoxRealtime = templates.find((template) => template.id === loadTemplate('glofox-kisi-realtime-access').id)!;
	const glofoxWebhook = `${n8n.url}/webhook/${String(glofoxRealtime.nodes.find((node) => node.webhookId)!.webhookId)}/webhook`;
	await fetch(`${sandbox.url}/__sandbox/glofox/webhooks`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ url: glofoxWebhook, secret: GLOFOX_WEBHOOK_SECRET }),
	});
	console.log(`✔ n8n on ${n8n.url} with all ${templates.length} templates active (TeamUp and Glofox call the real-time ones on every change)`);

	// A first sync now rather than at the next quarter hour, so the doors are set when you look.
	for (const template of templates.filter((t) => t.id.endsWith('Sync01'))) {
		const execution = await n8n.runManually(template.id, 'Run now');
		const sync = template.nodes.find((node) => (node.parameters as { operation?: string } | undefined)?.operation === 'syncGroupAccess')!;
		const items = (execution.runData[sync.name]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
		const count = (action: string) => items.filter((item) => item.action === action).length;
		console.log(`✔ ${String(template.name)}: ${execution.status} — ${count('create')} shares created, ${count('update')} updated, ${count('delete')} removed, ${count('skipped')} left alone`);
	}

	const control = `${sandbox.url}/__sandbox`;
	const purchase = JSON.stringify({ service: 'teamup', ...realtimeGyms(now).TEAMUP.buy(scenario, NEW_MEMBER, 30) });
	console.log(`
Open the editor: ${n8n.url}
  Log in as ${OWNER.email} / ${OWNER.password}

Try:
  1. A member unlocks the front door (Lena has a class in 45 minutes):
       curl -s -X POST ${control}/kisi/unlock -H 'content-type: application/json' \\
         -d '{"email":"lena.fischer@example.com","lock_id":${DEMO_KISI.lockIds.frontDoor}}'
     n8n receives Kisi's signed webhook and checks her in (Glofox marks her booking attended; TeamUp
     records a check-in at her class's venue): see Executions in the editor, and
       curl -s ${control}/state | jq '.glofox.accesses, .teamup.checkins'
  2. Who may enter, and until when (the Glofox Members group):
       curl -s ${control}/state | jq '[.kisi.shares[] | select(.group_id==${DEMO_KISI.glofoxGroupId}) | {email, valid_from, valid_until}]'
     The syncs run again every 15 minutes (:00, :15, :30, :45 UTC); open a sync workflow and press
     "Execute workflow" to run one now. For a what-if, set "Evaluation Time" in "Decide who may
     enter" to tonight after midnight and "Dry Run" in the Kisi node: it lists whose access would close.
  3. Real time: ${NEW_MEMBER} (a lead, no membership) buys one in TeamUp:
       curl -s -X POST ${control}/change -H 'content-type: application/json' \\
         -d '${purchase}'
     TeamUp calls the real-time template at once; within a second or two she has a share in the
     TeamUp Members group, and the door opens for her (before the purchase Kisi does not know her):
       curl -s ${control}/state | jq '.kisi.shares[] | select(.email=="${NEW_MEMBER}")'
       curl -s -X POST ${control}/kisi/unlock -H 'content-type: application/json' \\
         -d '{"email":"${NEW_MEMBER}","lock_id":${DEMO_KISI.lockIds.frontDoor},"success":"auto"}' | jq .event.success
     Cancel it the same way with "upsert":{"id":99001,"status":"cancelled"}: her share ends at once
     (the same unlock now says false); the next 15-minute sync removes it. Glofox changes work alike ("service":"glofox", e.g. "collection":"bookings"); see sandbox/README.md.
  4. The sandbox's APIs: Kisi ${sandbox.url}/kisi, TeamUp ${sandbox.url}/teamup/api/v2, Glofox ${sandbox.url}/glofox/prod
     (credentials in sandbox/README.md). n8n's files are in .n8n-demo/.

Press Ctrl-C to stop everything.`);
}

main().catch(async (error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	await stop(1);
});
