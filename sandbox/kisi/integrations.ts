/** `/integrations`: Event Webhooks (the only type the sandbox creates; `signature_key` write-only). */
import { type Route, readQuery, route } from '../service';
import { isResult, json, nextId, noContent } from '../util';
import type { KisiStore } from '.';
import { byId, flag, ids, inScope, int, invalidIfAny, list, one, scope, wrapped } from './http';
import { integrationJson } from './json';
import type { Integration, KisiPrincipal, Rec } from './records';

const INTEGRATION_TYPES = ['active_directory_user_import', 'jumpcloud_user_import', 'event_webhook', 'braxos_elevator', 'rhombus_systems_camera'];

export function integrationRoutes(k: KisiStore): Route<KisiPrincipal>[] {
	return [
		route('GET', '/integrations', (ctx) => {
			const q = readQuery(ctx, { ids, place_id: int, scope });
			if (isResult(q)) return q;
			const enabled = flag(ctx, 'enabled');
			const text = ctx.query.query?.toLowerCase();
			const items = [...k.integrations.values()].filter(
				(it) =>
					(!q.ids || q.ids.has(it.id)) &&
					(q.place_id === undefined || it.place_id === q.place_id) &&
					inScope(q.scope, it.place_id) &&
					(enabled === undefined || it.enabled === enabled) &&
					(!text || it.name.toLowerCase().includes(text)),
			);
			return list(k, ctx, 'integrations', items, (it) => integrationJson(k, it));
		}),
		route('POST', '/integrations', (ctx) => {
			const body = wrapped(ctx, 'integration');
			if (isResult(body)) return body;
			const errors: Record<string, string[]> = {};
			if (typeof body.name !== 'string' || body.name.trim() === '') errors.name = ["can't be blank"];
			if (typeof body.type !== 'string' || body.type === '') errors.type = ["can't be blank"];
			else if (!INTEGRATION_TYPES.includes(body.type)) errors.type = ['is not included in the list'];
			else if (body.type !== 'event_webhook') errors.type = ['is not emulated by the sandbox (only event_webhook)'];
			checkIntegrationFields(body, errors, true);
			const placeId = body.place_id ?? null;
			if (placeId !== null && (typeof placeId !== 'number' || !k.places.has(placeId))) errors.place = ['must exist'];
			const invalid = invalidIfAny(errors);
			if (invalid) return invalid;
			const now = k.nowIso();
			const it: Integration = {
				id: nextId(k.integrations.keys(), 1),
				type: body.type as string,
				name: body.name as string,
				url: (body.url as string | undefined) ?? null,
				enabled: typeof body.enabled === 'boolean' ? body.enabled : true,
				enabled_events: (body.enabled_events as string[] | undefined) ?? null,
				signature_key: (body.signature_key as string | undefined) ?? null,
				place_id: placeId as number | null,
				created_at: now,
				updated_at: now,
			};
			k.integrations.set(it.id, it);
			return json(200, integrationJson(k, it));
		}),
		route('GET', '/integrations/:id', (ctx) => one(k.integrations, ctx, 'Integration', (it) => integrationJson(k, it))),
		route('PATCH', '/integrations/:id', (ctx) => {
			const it = byId(k.integrations, ctx, 'Integration');
			if (isResult(it)) return it;
			const body = wrapped(ctx, 'integration');
			if (isResult(body)) return body;
			const errors: Record<string, string[]> = {};
			if ('name' in body && (typeof body.name !== 'string' || body.name.trim() === '')) errors.name = ["can't be blank"];
			checkIntegrationFields(body, errors, false);
			const invalid = invalidIfAny(errors);
			if (invalid) return invalid;
			if (typeof body.name === 'string') it.name = body.name;
			if ('url' in body) it.url = body.url as string;
			if (typeof body.enabled === 'boolean') it.enabled = body.enabled;
			if ('enabled_events' in body) it.enabled_events = body.enabled_events as string[] | null;
			if ('signature_key' in body) it.signature_key = (body.signature_key as string | null) ?? null;
			it.updated_at = k.nowIso();
			return noContent();
		}),
		route('DELETE', '/integrations/:id', (ctx) => {
			const it = byId(k.integrations, ctx, 'Integration');
			if (isResult(it)) return it;
			k.integrations.delete(it.id);
			return noContent();
		}),
	];
}

function checkIntegrationFields(body: Rec, errors: Record<string, string[]>, creating: boolean): void {
	const type = body.type;
	if ('url' in body || (creating && type === 'event_webhook')) {
		let ok = false;
		if (typeof body.url === 'string') {
			try {
				ok = /^https?:$/.test(new URL(body.url).protocol);
			} catch {
				ok = false;
			}
		}
		if (!ok) errors.url = [body.url === undefined || body.url === '' ? "can't be blank" : 'is invalid'];
	}
	if ('enabled_events' in body && body.enabled_events !== null) {
		const ev = body.enabled_events;
		if (!Array.isArray(ev) || ev.some((e) => typeof e !== 'string' || !/^[a-z_]+\.[a-z_]+$/.test(e)))
			errors.enabled_events = ['must be a list of event types such as lock.unlock'];
	}
	if ('signature_key' in body && body.signature_key !== null && typeof body.signature_key !== 'string') errors.signature_key = ['must be a string'];
	if ('enabled' in body && typeof body.enabled !== 'boolean') errors.enabled = ['must be true or false'];
}
