/** `/shares`: group access as Kisi's Share (a user found or created by email). */
import { type Route, route } from '../service';
import { isResult, json, noContent } from '../util';
import type { KisiStore } from '.';
import { filterAccess, grantAccess, parseValidity, patchAccess } from './access';
import { byId, invalidIfAny, list, one, validationError, wrapped } from './http';
import { shareJson } from './json';
import { type Access, EMAIL_RE, type KisiPrincipal, normEmail } from './records';

const shareRole = (v: unknown): Access['role'] | undefined => (v === 'basic' || v === 'manager' ? v : undefined);

export function shareRoutes(k: KisiStore): Route<KisiPrincipal>[] {
	return [
		route('GET', '/shares', (ctx) => {
			const items = filterAccess(k, ctx, 'share');
			if (isResult(items)) return items;
			return list(k, ctx, 'shares', items, (a) => shareJson(k, a));
		}),
		route('POST', '/shares', (ctx) => {
			const body = wrapped(ctx, 'share');
			if (isResult(body)) return body;
			const email = typeof body.email === 'string' ? body.email.trim() : '';
			const errors: Record<string, string[]> = {};
			if (!EMAIL_RE.test(email)) errors.email = ["can't be blank or invalid"];
			const group = typeof body.group_id === 'number' ? k.groups.get(body.group_id) : undefined;
			if (!group) errors.group = ['must exist'];
			const role = shareRole(body.role_id ?? 'basic');
			if (!role) errors.role_id = ['is not included in the list'];
			const validity = parseValidity(body, errors);
			const invalid = invalidIfAny(errors);
			if (invalid) return invalid;
			const existing = k.usersByEmail.get(normEmail(email));
			if (existing && k.accessByPair.has(`${group!.id}:${existing.id}`)) return validationError({ email: ['has already been taken'] });
			const now = k.nowIso();
			const user = existing ?? k.userForEmail(email, now);
			const access = grantAccess(k, ctx, { group: group!, user, role: role!, body, validity, now });
			return json(200, shareJson(k, access));
		}),
		route('GET', '/shares/:id', (ctx) => one(k.access, ctx, 'Share', (a) => shareJson(k, a))),
		route('PATCH', '/shares/:id', (ctx) => {
			const a = byId(k.access, ctx, 'Share');
			if (isResult(a)) return a;
			const body = wrapped(ctx, 'share');
			if (isResult(body)) return body;
			return patchAccess(k, a, body, shareRole);
		}),
		route('DELETE', '/shares/:id', (ctx) => {
			const a = byId(k.access, ctx, 'Share');
			if (isResult(a)) return a;
			k.removeAccess(a);
			return noContent();
		}),
	];
}
