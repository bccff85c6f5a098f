/**
 * The demo gym's fixed facts and its Kisi organization: the credentials the sandbox accepts, the
 * Kisi ids tests and templates refer to, and the organization (users, doors, groups, the shares an
 * earlier sync or staff made) the syncs write to. The people and their memberships: demo.ts.
 */
import type { ScenarioInput } from '../scenario';

export const DEMO_NOW = '2026-03-02T14:00:00Z';
export const DEMO_TIME_ZONE = 'Europe/London';

export const DEMO_CREDENTIALS = {
	kisi: { apiKey: 'kisi-demo-key', userId: 100, email: 'owner@demo.gym', secondKey: 'kisi-demo-key-2', managerKey: 'kisi-manager-key' },
	teamup: { token: 'teamup-demo-token', providerId: 54321 },
	glofox: {
		branchId: '6213afed9ead8f3e7b0e3574',
		apiKey: 'glofox-demo-key',
		apiToken: 'glofox-demo-token',
		namespace: 'demogym',
	},
} as const;

/** Kisi ids of the demo. */
export const DEMO_KISI = {
	organizationId: 1,
	placeId: 10,
	lockIds: { frontDoor: 1001, studioDoor: 1002 },
	membersGroupId: 501,
	placeGroupId: 502,
	/** The groups the two shipped sync templates manage (by name: "Glofox Members", "TeamUp Members"). */
	glofoxGroupId: 503,
	teamupGroupId: 504,
	/** The tiered template's other two tiers (by name; its first tier is "Members", membersGroupId). */
	premiumGroupId: 505,
	classGroupId: 506,
	users: { owner: 100, manager: 101, staff: 102, dan: 103, ana: 104, lena: 105, priya: 106 },
	shares: {
		staffMembers: 9001,
		danMembers: 9002,
		staffPlaceGroup: 9003,
		anaMembers: 9004,
		staffGlofoxGroup: 9005,
		danGlofoxGroup: 9006,
		staffTeamupGroup: 9007,
		danTeamupGroup: 9008,
		/** Ana was on the Premium plan until last month: an earlier tiered sync's share, removed by the next one. */
		anaPremium: 9009,
	},
} as const;

/** The demo's Kisi organization; `daysAgoIso(d)` and `midIso(n)` (local midnight n days from today) date it. */
export function demoKisiOrganization(daysAgoIso: (days: number) => string, midIso: (days: number) => string): ScenarioInput['kisi'] {
	const K = DEMO_KISI;
	return {
		apiKeys: [
			{ key: DEMO_CREDENTIALS.kisi.apiKey, user_id: K.users.owner, id: 1, name: 'n8n (owner)' },
			{ key: DEMO_CREDENTIALS.kisi.secondKey, user_id: K.users.owner, id: 2, name: 'second key of the owner' },
			{ key: DEMO_CREDENTIALS.kisi.managerKey, user_id: K.users.manager, id: 3, name: 'manager key' },
		],
		organization: { id: K.organizationId, name: 'Demo Gym', domain: 'demo-gym' },
		users: [
			{ id: K.users.owner, email: 'owner@demo.gym', name: 'Olivia Owner', created_at: daysAgoIso(900) },
			{ id: K.users.manager, email: 'manager@demo.gym', name: 'Mia Manager', created_at: daysAgoIso(700) },
			{ id: K.users.staff, email: 'coach.theo@demo.gym', name: 'Theo Coach', created_at: daysAgoIso(500) },
			{ id: K.users.dan, email: 'dan.whitfield@example.com', name: 'Dan Whitfield', created_at: daysAgoIso(400) },
			{ id: K.users.ana, email: 'ana.ruiz@example.com', name: 'Ana Ruiz', created_at: daysAgoIso(180) },
			{ id: K.users.lena, email: 'lena.fischer@example.com', name: 'Lena Fischer', created_at: daysAgoIso(40) },
			{ id: K.users.priya, email: 'priya.shah@example.com', name: 'Priya Shah', created_at: daysAgoIso(20) },
		],
		places: [{ id: K.placeId, name: 'Main Street', time_zone: DEMO_TIME_ZONE, address: '1 Main Street, London', created_at: daysAgoIso(900) }],
		locks: [
			{ id: K.lockIds.frontDoor, name: 'Front Door', place_id: K.placeId, created_at: daysAgoIso(900) },
			{ id: K.lockIds.studioDoor, name: 'Studio Door', place_id: K.placeId, created_at: daysAgoIso(900) },
		],
		groups: [
			{ id: K.membersGroupId, name: 'Members', place_id: null, description: 'Everyone with gym access (synced from the gym software)', created_at: daysAgoIso(800) },
			{ id: K.placeGroupId, name: 'Main Street Staff', place_id: K.placeId, description: 'Staff at Main Street', created_at: daysAgoIso(800) },
			{ id: K.glofoxGroupId, name: 'Glofox Members', place_id: null, description: 'Managed by the Glofox → Kisi sync template', created_at: daysAgoIso(300) },
			{ id: K.teamupGroupId, name: 'TeamUp Members', place_id: null, description: 'Managed by the TeamUp → Kisi sync template', created_at: daysAgoIso(300) },
			{ id: K.premiumGroupId, name: 'Premium Members', place_id: null, description: 'Premium plan holders (the tiered template)', created_at: daysAgoIso(200) },
			{ id: K.classGroupId, name: 'Class Access', place_id: null, description: 'People registered for a class, around its time (the tiered template)', created_at: daysAgoIso(200) },
		],
		group_locks: [
			{ id: 1, group_id: K.membersGroupId, lock_id: K.lockIds.frontDoor, created_at: daysAgoIso(800) },
			{ id: 2, group_id: K.membersGroupId, lock_id: K.lockIds.studioDoor, created_at: daysAgoIso(800) },
			{ id: 3, group_id: K.placeGroupId, lock_id: K.lockIds.frontDoor, created_at: daysAgoIso(800) },
			{ id: 4, group_id: K.placeGroupId, lock_id: K.lockIds.studioDoor, created_at: daysAgoIso(800) },
			{ id: 5, group_id: K.glofoxGroupId, lock_id: K.lockIds.frontDoor, created_at: daysAgoIso(300) },
			{ id: 6, group_id: K.glofoxGroupId, lock_id: K.lockIds.studioDoor, created_at: daysAgoIso(300) },
			{ id: 7, group_id: K.teamupGroupId, lock_id: K.lockIds.frontDoor, created_at: daysAgoIso(300) },
			{ id: 8, group_id: K.teamupGroupId, lock_id: K.lockIds.studioDoor, created_at: daysAgoIso(300) },
			{ id: 9, group_id: K.premiumGroupId, lock_id: K.lockIds.frontDoor, created_at: daysAgoIso(200) },
			{ id: 10, group_id: K.premiumGroupId, lock_id: K.lockIds.studioDoor, created_at: daysAgoIso(200) },
			{ id: 11, group_id: K.classGroupId, lock_id: K.lockIds.studioDoor, created_at: daysAgoIso(200) },
		],
		shares: [
			{ id: K.shares.staffMembers, email: 'coach.theo@demo.gym', group_id: K.membersGroupId, role_id: 'basic', created_by_id: K.users.manager, valid_from: null, valid_until: null, created_at: daysAgoIso(500) },
			{ id: K.shares.danMembers, email: 'dan.whitfield@example.com', group_id: K.membersGroupId, role_id: 'basic', created_by_id: K.users.owner, valid_from: midIso(-92), valid_until: null, created_at: daysAgoIso(92) },
			{ id: K.shares.staffPlaceGroup, email: 'coach.theo@demo.gym', group_id: K.placeGroupId, role_id: 'basic', created_by_id: K.users.manager, valid_from: null, valid_until: null, created_at: daysAgoIso(500) },
			{ id: K.shares.anaMembers, email: 'ana.ruiz@example.com', group_id: K.membersGroupId, role_id: 'basic', created_by_id: K.users.owner, valid_from: midIso(-180), valid_until: null, created_at: daysAgoIso(180) },
			// The template groups: a staff share someone else made (never touched by the sync) and an
			// earlier sync's share for Dan, whose membership has expired since (removed by the next sync).
			{ id: K.shares.staffGlofoxGroup, email: 'coach.theo@demo.gym', group_id: K.glofoxGroupId, role_id: 'basic', created_by_id: K.users.manager, valid_from: null, valid_until: null, created_at: daysAgoIso(300) },
			{ id: K.shares.danGlofoxGroup, email: 'dan.whitfield@example.com', group_id: K.glofoxGroupId, role_id: 'basic', created_by_id: K.users.owner, valid_from: midIso(-92), valid_until: null, created_at: daysAgoIso(92) },
			{ id: K.shares.staffTeamupGroup, email: 'coach.theo@demo.gym', group_id: K.teamupGroupId, role_id: 'basic', created_by_id: K.users.manager, valid_from: null, valid_until: null, created_at: daysAgoIso(300) },
			{ id: K.shares.danTeamupGroup, email: 'dan.whitfield@example.com', group_id: K.teamupGroupId, role_id: 'basic', created_by_id: K.users.owner, valid_from: midIso(-92), valid_until: null, created_at: daysAgoIso(92) },
			{ id: K.shares.anaPremium, email: 'ana.ruiz@example.com', group_id: K.premiumGroupId, role_id: 'basic', created_by_id: K.users.owner, valid_from: midIso(-400), valid_until: null, created_at: daysAgoIso(400) },
		],
		role_assignments: [
			{ id: 9101, role_id: 'organization_owner', applies_to_type: 'Organization', applies_to_id: K.organizationId, assignee_type: 'User', assignee_id: K.users.owner, created_at: daysAgoIso(900) },
			{ id: 9102, role_id: 'organization_administrator', applies_to_type: 'Organization', applies_to_id: K.organizationId, assignee_type: 'User', assignee_id: K.users.manager, created_by_id: K.users.owner, created_at: daysAgoIso(700) },
		],
	};
}
