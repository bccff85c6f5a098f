/** Kisi's records as the sandbox keeps them, and the small rules every Kisi module applies to them. */
import type { DeliveryResult } from '../webhooks';

export type Rec = Record<string, unknown>;

export interface User extends Rec {
	id: number;
	email: string;
	name: string | null;
	access_enabled: boolean;
	created_at: string;
	updated_at: string;
}
export interface Place extends Rec {
	id: number;
	name: string;
	created_at: string;
	updated_at: string;
}
export interface Lock extends Rec {
	id: number;
	name: string;
	place_id: number;
	created_at: string;
	updated_at: string;
}
export interface Group extends Rec {
	id: number;
	name: string;
	place_id: number | null;
	description: string | null;
	created_at: string;
	updated_at: string;
}
export interface GroupLock {
	id: number;
	group_id: number;
	lock_id: number;
	created_at: string;
	updated_at: string;
}
/** One person's access to one group: served as a Share and as a group RoleAssignment. */
export interface Access {
	id: number;
	group_id: number;
	user_id: number;
	role: 'basic' | 'manager';
	notify: boolean | null;
	valid_from: string | null;
	valid_until: string | null;
	created_by_type: 'User' | 'MarketplaceInstallation' | null;
	created_by_id: number | null;
	created_at: string;
	updated_at: string;
	/** A share's deprecated `role` when a scenario gives one (else the role id). */
	legacy_role?: string | null;
}
/** Organization- and place-level role assignments (admins, owners, managers). */
export interface Role {
	id: number;
	role_id: string;
	applies_to_type: 'Organization' | 'Place';
	applies_to_id: number;
	user_id: number;
	notify: boolean | null;
	created_by_type: 'User' | 'MarketplaceInstallation' | null;
	created_by_id: number | null;
	created_at: string;
	updated_at: string;
}
export interface Integration extends Rec {
	id: number;
	type: string;
	name: string;
	url: string | null;
	enabled: boolean;
	enabled_events: string[] | null;
	signature_key: string | null;
	place_id: number | null;
	created_at: string;
	updated_at: string;
}
export interface KisiEvent extends Rec {
	uuid: string;
	type: string;
	created_at: string;
}
export interface ApiKey {
	key: string;
	user_id: number;
	id: number;
	name?: string;
}
export interface KisiPrincipal {
	user: User;
	keyId: number;
}

/**
 * What an Event Webhook delivery carries: `documented` (default) the fields of Kisi's sample
 * payload ("Track unlocks using webhooks", docs.kisi.io), in its order; `event` the whole Event
 * object of Kisi's event sets (with `actor_email`, `action`, `authenticated_by_*`, …). Which one
 * Kisi sends is not documented; the trigger handles both.
 */
export type WebhookPayload = 'documented' | 'event';

export interface UnlockOutcome {
	event: KisiEvent;
	deliveries: Promise<DeliveryResult[]>;
}

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const normEmail = (e: string): string => e.trim().toLowerCase();
export const isAdminRole = (roleId: string): boolean => /owner|admin/i.test(roleId);

/**
 * A UTC instant as Kisi's examples write it: `2022-10-06T13:49:35Z` (fractional seconds only when
 * there are some).
 */
export function kisiTime(iso: string): string {
	return iso.replace(/\.000Z$/, 'Z');
}

export function normTime(v: string | null | undefined): string | null {
	return v ? kisiTime(new Date(Date.parse(v)).toISOString()) : null;
}
