/**
 * The n8n editor in a real browser (Debian's Chromium driven by playwright-core): an operator
 * logs in, opens the imported Glofox sync template and sees the pack's nodes with their icons
 * and parameters. The screenshots are kept in test-artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

import { type RunningSandbox, startSandbox } from '../../sandbox';
import { buildDemoScenario } from '../../sandbox/scenarios/demo';
import { N8nInstance, OWNER } from '../harness/n8n-process';
import { ROOT } from '../harness/package-types';
import { loadTemplate, sandboxCredentials } from '../harness/templates';

jest.setTimeout(180_000);

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const template = loadTemplate('glofox-kisi-access-sync');

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let browser: Browser;
let page: Page;

beforeAll(async () => {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does)`);
	mkdirSync(ARTIFACTS, { recursive: true });
	sandbox = await startSandbox({ scenario: buildDemoScenario(new Date()), port: 0 });
	n8n = new N8nInstance({ credentials: sandboxCredentials(sandbox.url), workflows: [template] });
	await n8n.start();
	// The flags keep Chromium off the network this machine does not have.
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
});

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await sandbox?.close();
});

it('logs in and shows the Glofox sync template with the pack nodes, their icons and parameters', async () => {
	await page.goto(`${n8n.url}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
	await page.fill('input[name="password"]', OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });

	await page.goto(`${n8n.url}/workflow/${template.id}`);
	const canvasNodes = page.locator('[data-test-id="canvas-node"]');
	await canvasNodes.first().waitFor({ timeout: 60_000 });
	for (const name of ['Glofox: access profiles', 'Decide who may enter', 'Kisi: sync the Glofox Members group']) {
		await canvasNodes.filter({ hasText: name }).first().waitFor();
	}

	// Each pack icon is served by n8n from the installed package and actually renders.
	for (const icon of ['glofox', 'accessRules', 'kisi']) {
		const image = page.locator(`img[src*="/icons/n8n-nodes-gym-access/dist/icons/${icon}"]`).first();
		await image.waitFor();
		// (DOM objects are typed loosely here: the project's TypeScript setup has no DOM library.)
		expect(await image.evaluate((element) => {
			const loaded = element as unknown as { complete: boolean; naturalWidth: number };
			return loaded.complete && loaded.naturalWidth > 0;
		})).toBe(true);
	}
	await page.screenshot({ path: join(ARTIFACTS, 'editor-glofox-sync.png') });

	// Opening the sync node shows its parameters as an operator sets them.
	await canvasNodes.filter({ hasText: 'Kisi: sync the Glofox Members group' }).first().dblclick();
	for (const label of ['Ownership', 'Protected Emails', 'Max Revocations', 'Dry Run']) {
		await page.getByText(label, { exact: true }).first().waitFor({ timeout: 15_000 });
	}
	await page.screenshot({ path: join(ARTIFACTS, 'editor-kisi-sync-node.png') });
	// The chosen ownership shows in its select box (the other options sit hidden in the dropdown).
	const selected = await page.locator('input').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
	expect(selected).toContain('Shares Created by This API Key');
});
