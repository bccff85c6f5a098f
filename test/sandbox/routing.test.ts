/**
 * Routing: fastify's router matches the services' patterns on the canonical path (decoded as a
 * whole, one trailing slash dropped), exactly as the hand-written router it replaced did. Requests
 * go over a raw socket so that the request target reaches the sandbox byte for byte.
 */
import net from 'node:net';
import { type RunningSandbox, SandboxState } from '../../sandbox';
import { KisiStore } from '../../sandbox/kisi';
import { shapesOf } from '../../sandbox/server';
import type { Route } from '../../sandbox/service';
import { json } from '../../sandbox/util';
import { D, demo, start } from './helpers';

interface RawRes {
	status: number;
	headers: Record<string, string>;
	text: string;
}

/** One request with the target sent as given (fetch would normalise it), answered on a closed connection. */
function raw(sb: RunningSandbox, method: string, target: string, headers: Record<string, string> = {}): Promise<RawRes> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(sb.port, '127.0.0.1');
		const chunks: Buffer[] = [];
		socket.on('data', (d) => chunks.push(d));
		socket.on('error', reject);
		socket.on('close', () => {
			const text = Buffer.concat(chunks).toString('latin1');
			const [head, ...body] = text.split('\r\n\r\n');
			const [statusLine, ...lines] = head.split('\r\n');
			const h: Record<string, string> = {};
			for (const l of lines) h[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
			resolve({ status: Number(statusLine.split(' ')[1]), headers: h, text: body.join('\r\n\r\n') });
		});
		const extra = Object.entries(headers)
			.map(([k, v]) => `${k}: ${v}\r\n`)
			.join('');
		socket.write(`${method} ${target} HTTP/1.1\r\nHost: sandbox.test\r\n${extra}Connection: close\r\n\r\n`, 'latin1');
	});
}

const KISI = { Authorization: `KISI-LOGIN ${D.kisi.apiKey}` };
const TEAMUP = { Authorization: `Token ${D.teamup.token}` };
const NO_ROUTE = '{"error":"Not found: no such route","code":"e40400"}';
const NO_USER = '{"error":"User not found","code":"e40400"}';

describe('the services on fastify routes', () => {
	let sb: RunningSandbox;
	beforeAll(async () => {
		sb = await start();
	});
	afterAll(async () => {
		await sb.close();
	});

	test('a path is decoded as a whole before matching: %2F separates segments', async () => {
		const r = await raw(sb, 'POST', '/kisi/locks/1001%2Funlock', KISI);
		expect(r.status).toBe(200);
		expect(JSON.parse(r.text)).toEqual({ message: 'Unlocked!' });
		const user = await raw(sb, 'GET', '/kisi/users/100%2F', KISI);
		expect([user.status, JSON.parse(user.text).id]).toEqual([200, 100]);
		const customer = await raw(sb, 'GET', '/teamup/api/v2/customers/%38%31%32%33%30%31', TEAMUP);
		expect([customer.status, JSON.parse(customer.text).id]).toEqual([200, 812301]);
	});

	test('parameters are whole decoded segments: # and ? are data, any length', async () => {
		expect((await raw(sb, 'GET', '/kisi/users/100#x', KISI)).text).toBe(NO_USER);
		expect((await raw(sb, 'GET', '/kisi/users/100%23x', KISI)).text).toBe(NO_USER);
		expect((await raw(sb, 'GET', '/kisi/users/100%3Fx', KISI)).text).toBe(NO_USER);
		const long = await raw(sb, 'GET', `/kisi/users/${'1'.repeat(150)}`, KISI);
		expect([long.status, long.text]).toEqual([404, NO_USER]);
	});

	test('one trailing slash is dropped; empty segments match no route', async () => {
		const list = await raw(sb, 'GET', '/kisi/shares/?limit=1', KISI);
		expect([list.status, list.headers['x-collection-range']]).toEqual([200, '0-0/9']);
		for (const target of ['/kisi/shares//', '/kisi/locks//unlock', '/kisi//shares', '/kisi/', '/kisi', '/kisi?x=1']) {
			const r = await raw(sb, target.includes('unlock') ? 'POST' : 'GET', target, KISI);
			expect([target, r.status, r.text]).toEqual([target, 404, NO_ROUTE]);
		}
	});

	test('a malformed escape is refused by fastify, as before', async () => {
		const r = await raw(sb, 'GET', '/kisi/users/%zz', KISI);
		expect(r.status).toBe(400);
		expect(JSON.parse(r.text)).toMatchObject({ code: 'FST_ERR_BAD_URL', message: "'/kisi/users/%zz' is not a valid url component" });
		// After a '#' fastify does not look; the service gets the segment as sent.
		expect((await raw(sb, 'GET', '/kisi/users/100#%zz', KISI)).text).toBe(NO_USER);
	});

	test('HEAD is served by GET, OPTIONS → 204, other methods → 405, unknown methods → fastify 404', async () => {
		const head = await raw(sb, 'HEAD', '/kisi/user', KISI);
		expect([head.status, head.text]).toEqual([200, '']);
		expect((await raw(sb, 'OPTIONS', '/kisi/user', KISI)).status).toBe(204);
		const del = await raw(sb, 'DELETE', '/kisi/user/', KISI);
		expect([del.status, del.text]).toEqual([405, '{"error":"Method not allowed","code":"e40500"}']);
		const trace = await raw(sb, 'TRACE', '/kisi/user/', KISI);
		expect([trace.status, JSON.parse(trace.text).message]).toEqual([404, 'Route TRACE:/kisi/user/ not found']);
	});

	test('a path only the decoded prefix matches, or an absolute-form target, is no route', async () => {
		expect((await raw(sb, 'GET', '/ki%73i/users/100', KISI)).text).toBe(NO_ROUTE);
		expect((await raw(sb, 'GET', 'http://sandbox.test/kisi/users/100', KISI)).text).toBe(NO_ROUTE);
	});

	test('the request log keeps the canonical path', async () => {
		sb.state.requests = [];
		await raw(sb, 'GET', '/kisi/shares/?limit=1', KISI);
		await raw(sb, 'POST', '/kisi/locks/1001%2Funlock', KISI);
		expect(sb.state.requests.map((r) => [r.method, r.path, r.query, r.status])).toEqual([
			['GET', '/shares', { limit: '1' }, 200],
			['POST', '/locks/1001/unlock', {}, 200],
		]);
	});

	test('a loaded scenario is served by the new instances', async () => {
		const before = await raw(sb, 'GET', '/kisi/users/100', KISI);
		expect(before.status).toBe(200);
		sb.state.load(demo({ kisi: { ...demo().kisi!, users: demo().kisi!.users!.map((u) => (u.id === 100 ? { ...u, name: 'Renamed' } : u)) } }));
		expect(JSON.parse((await raw(sb, 'GET', '/kisi/users/100', KISI)).text).name).toBe('Renamed');
	});
});

describe('patterns of one shape with different parameter names', () => {
	type Builder = (this: KisiStore) => Route<unknown>[];
	const proto = KisiStore.prototype as unknown as { buildRoutes: Builder };
	const original = proto.buildRoutes;
	let extra: Route<unknown>[] = [];
	let sb: RunningSandbox;

	beforeAll(async () => {
		proto.buildRoutes = function (this: KisiStore) {
			return [...original.call(this), ...extra];
		};
		extra = [
			{ method: 'GET', pattern: '/things/:id', handler: (ctx) => json(200, { route: 'get', params: ctx.params }) },
			{ method: 'PATCH', pattern: '/things/:thingId', handler: (ctx) => json(200, { route: 'patch', params: ctx.params }) },
			{ method: 'GET', pattern: '/things/:a/parts/:b', handler: (ctx) => json(200, { route: 'part', params: ctx.params }) },
			{ method: 'POST', pattern: '/things/:x/parts/:y', handler: (ctx) => json(200, { route: 'post-part', params: ctx.params }) },
		];
		sb = await start();
	});
	afterAll(async () => {
		proto.buildRoutes = original;
		await sb.close();
	});

	test('they share one fastify route and each handler gets its own names', async () => {
		const shapes = shapesOf(extra);
		expect(shapes.map((s) => [s.url, s.patterns.map((p) => p.pattern)])).toEqual([
			['/things/:p0(.+)', ['/things/:id', '/things/:thingId']],
			['/things/:p0(.+)/parts/:p1(.+)', ['/things/:a/parts/:b', '/things/:x/parts/:y']],
		]);
		const get = await raw(sb, 'GET', '/kisi/things/7', KISI);
		expect(JSON.parse(get.text)).toEqual({ route: 'get', params: { id: '7' } });
		const patch = await raw(sb, 'PATCH', '/kisi/things/a%20b', KISI);
		expect(JSON.parse(patch.text)).toEqual({ route: 'patch', params: { thingId: 'a b' } });
		const part = await raw(sb, 'HEAD', '/kisi/things/1/parts/2', KISI);
		expect(part.status).toBe(200);
		const post = await raw(sb, 'POST', '/kisi/things/1/parts/owner%40demo.gym', KISI);
		expect(JSON.parse(post.text)).toEqual({ route: 'post-part', params: { x: '1', y: 'owner@demo.gym' } });
		expect((await raw(sb, 'DELETE', '/kisi/things/7', KISI)).status).toBe(405);
	});

	test('a route list that depends on the scenario is refused', () => {
		const state = new SandboxState(demo());
		extra = [...extra, { method: 'GET', pattern: '/late', handler: () => json(200, {}) }];
		expect(() => state.load(demo())).toThrow(/kisi route list changed/);
	});
});
