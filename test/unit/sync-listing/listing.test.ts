/**
 * listGroupShares against an in-memory Kisi that enforces the offset cap: a group far past 20,250
 * shares is listed in close to one pass (filters that split it by domain), not re-read through
 * overlapping short substrings after a full offset listing.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ApiClient, ApiRequest } from '../../../nodes/shared/http';
import { listGroupShares } from '../../../nodes/Kisi/transport/groupShares';

const GROUP = 503;

interface FakeShare {
	id: number;
	email: string;
	name: string | null;
}

function fakeKisi(shares: FakeShare[]) {
	let requests = 0;
	const client = {
		async request({ qs = {} }: ApiRequest) {
			requests++;
			const offset = Number(qs.offset ?? 0);
			const limit = Number(qs.limit ?? 10);
			if (offset > 20_000) return { status: 422, body: { errors: { offset: ['must be less than or equal to 20000'] } }, headers: {} };
			const query = typeof qs.query === 'string' ? qs.query.toLowerCase() : undefined;
			const list = query ? shares.filter((s) => s.email.includes(query) || (s.name ?? '').toLowerCase().includes(query)) : shares;
			const page = list.slice(offset, offset + limit).map((s) => ({ id: s.id, group_id: GROUP, user: { email: s.email, name: s.name } }) as IDataObject);
			const range = page.length ? `${offset}-${offset + page.length - 1}/${list.length}` : `*/${list.length}`;
			return { status: 200, body: page, headers: { 'x-collection-range': range } };
		},
	};
	return { client: client as unknown as ApiClient, requests: () => requests };
}

/**
 * A gym's emails over a few big mail domains, deterministic. Random local parts: no short
 * substring splits them without overlap (as with real names), only the domains do.
 */
function emails(count: number): string[] {
	const domains = ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'icloud.com', 'studio.fit'];
	const weights = [0.45, 0.2, 0.15, 0.12, 0.08];
	let state = 42;
	const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
	const word = (length: number) => Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(next() * 26)]).join('');
	const out: string[] = [];
	for (let i = 0; out.length < count; i++) {
		let r = next();
		let d = 0;
		while (d < domains.length - 1 && (r -= weights[d]) >= 0) d++;
		out.push(`${word(5)}.${word(7)}${i % 7 === 0 ? Math.floor(next() * 100) : ''}@${domains[d]}`);
	}
	return out;
}

describe('listGroupShares past the offset cap', () => {
	it('reads a 40,000-share group completely in close to the fewest pages', async () => {
		const people = emails(52_000);
		// Shares made by a sync: created in email order, so ids follow the alphabet.
		const members = people.filter((_, i) => i % 4 !== 0).sort();
		const shares: FakeShare[] = members.map((email, i) => ({ id: i + 1, email, name: null }));
		const kisi = fakeKisi(shares);
		const { shares: listed, total } = await listGroupShares(kisi.client, GROUP, people);
		expect(total).toBe(shares.length);
		expect(new Set(listed.map((share) => share.id)).size).toBe(shares.length);
		const fewest = Math.ceil(shares.length / 250);
		// (Listing first up to the cap, then covering the rest with short substrings, took 746.)
		expect(kisi.requests()).toBeLessThanOrEqual(Math.ceil(fewest * 1.25));
	});

	it('still finds shares of people it was not told about', async () => {
		const people = emails(24_000);
		const shares: FakeShare[] = people.map((email, i) => ({ id: i + 1, email, name: null }));
		shares.push(...Array.from({ length: 20 }, (_, i) => ({ id: 100_000 + i, email: `left.${i}@old-domain.test`, name: 'Left Member' })));
		const kisi = fakeKisi(shares);
		const { shares: listed } = await listGroupShares(kisi.client, GROUP, people);
		expect(new Set(listed.map((share) => share.id)).size).toBe(shares.length);
	});
});
