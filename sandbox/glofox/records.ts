/** Glofox's records as the sandbox keeps them: the scenario's objects. */
import type { GlofoxScenario } from './schema';

export type Rec = Record<string, unknown>;
export type Member = GlofoxScenario['members'][number];
export type CatalogueMembership = GlofoxScenario['memberships'][number];
export type Credit = GlofoxScenario['credits'][number];
export type Event = GlofoxScenario['events'][number];
export type Booking = GlofoxScenario['bookings'][number];
export type Access = GlofoxScenario['accesses'][number];

export type GlofoxPrincipal = Record<string, never>;
