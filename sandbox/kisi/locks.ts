/** `/locks` (read only) and `POST /locks/{id}/unlock`. */
import { type Route, readQuery, route } from '../service';
import { isResult, json } from '../util';
import type { KisiStore } from '.';
import { recordUnlock, unlockDecision } from './events';
import { byId, flag, ids, int, kisiError, list, one, sortByName } from './http';
import { lockJson } from './json';
import type { KisiPrincipal } from './records';

/** Kisi's own code for an unknown lock. */
const LOCK_NOT_FOUND = 'fad10e';

export function lockRoutes(k: KisiStore): Route<KisiPrincipal>[] {
	return [
		route('GET', '/locks', (ctx) => {
			const q = readQuery(ctx, { ids, place_id: int });
			if (isResult(q)) return q;
			const text = ctx.query.query?.toLowerCase();
			const online = flag(ctx, 'online');
			const lockedDown = flag(ctx, 'locked_down');
			const items = [...k.locks.values()].filter(
				(l) =>
					(!q.ids || q.ids.has(l.id)) &&
					(q.place_id === undefined || l.place_id === q.place_id) &&
					(online === undefined || (l.online !== false) === online) &&
					(lockedDown === undefined || Boolean(l.locked_down) === lockedDown) &&
					(!text || l.name.toLowerCase().includes(text)),
			);
			const sorted = sortByName(ctx, items);
			if (isResult(sorted)) return sorted;
			return list(k, ctx, 'locks', sorted, (l) => lockJson(k, l));
		}),
		route('GET', '/locks/:id', (ctx) => one(k.locks, ctx, 'Lock', (l) => lockJson(k, l), LOCK_NOT_FOUND)),
		route('POST', '/locks/:id/unlock', (ctx) => {
			const lock = byId(k.locks, ctx, 'Lock', LOCK_NOT_FOUND);
			if (isResult(lock)) return lock;
			const user = ctx.principal.user;
			const decision = unlockDecision(k, user, lock, false);
			const authenticatedBy = { type: 'Login', id: ctx.principal.keyId };
			if (!decision.ok) {
				const { status, code, message } = decision.denial;
				recordUnlock(k, { user, lock, success: false, errorCode: code, errorMessage: message, authenticatedBy });
				return kisiError(status, message, code);
			}
			recordUnlock(k, { user, lock, success: true, authenticatedBy, via: decision.via });
			return json(200, { message: 'Unlocked!' });
		}),
	];
}
