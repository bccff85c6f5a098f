/** TeamUp's records as the sandbox keeps them: the scenario's objects. */
import type { TeamUpScenario } from './schema';

export type Rec = Record<string, unknown>;
export type Customer = TeamUpScenario['customers'][number];
export type Membership = TeamUpScenario['memberships'][number];
export type CustomerMembership = TeamUpScenario['customer_memberships'][number];
export type Usage = TeamUpScenario['customer_membership_usage'][string];
export type Block = TeamUpScenario['customer_registration_blocks'][number];
export type Event = TeamUpScenario['events'][number];
export type Attendance = TeamUpScenario['attendances'][number];
export type Invoice = TeamUpScenario['invoices'][number];
export type Venue = TeamUpScenario['venues'][number];
export type Checkin = TeamUpScenario['checkins'][number];
export type Subscription = TeamUpScenario['payment_subscriptions'][number];
export type Destination = TeamUpScenario['webhook_destinations'][number];

export interface TeamUpPrincipal {
	token: string;
}
