/**
 * The fields Glofox documents, per object (OpenAPI schema names in brackets): those of its schema or
 * example in Glofox's OpenAPI 2.3.0 (Zchasse63/potential-chainsaw docs/glofox/openapi.json, source
 * S1 of docs/reference/glofox-api.md), plus the few the reference quotes from live answers (S5).
 * Every object is served with these fields and no others.
 */

/** `GET /2.0/members` items [ExtendedUser + the path's example]; `gender`, `origin`, `account_email`, `contact_email`: live (reference §3.1). */
export const MEMBER_LIST_FIELDS = [
	'_id', 'branch_id', 'namespace', 'origin_branch_id', 'first_name', 'last_name', 'name', 'email', 'phone', 'emergency_contact',
	'access_barcode', 'type', 'role', 'active', 'lead_status', 'birth', 'gender', 'image_url', 'consent', 'membership', 'leads',
	'joined_at', 'source', 'origin', 'account_email', 'contact_email', 'parent_id', 'use_parent_email', 'use_parent_phone', 'created', 'modified',
] as const;
/** `GET /2.0/members/{id}` and `GET /2.1/branches/{b}/users` [UserResponseBirthAsString]: no `active`, `name`, `branch_id`. */
export const MEMBER_SINGLE_FIELDS = [
	'_id', 'first_name', 'last_name', 'email', 'phone', 'emergency_contact', 'access_barcode', 'type', 'parent_id', 'lead_status',
	'birth', 'image_url', 'account_email', 'contact_email', 'consent', 'membership', 'leads', 'joined_at',
] as const;
/** `user.membership` [UserMembership]. */
export const USER_MEMBERSHIP_FIELDS = [
	'type', 'status', 'start_date', 'expiry_date', 'membership_name', 'description', 'membership_plan_name', 'plan_code', 'plan_name',
	'plan_price', 'plan_upfront_fee', 'starts_on', 'user_membership_id', 'branches', 'subscription',
] as const;
/** The thin `membership` of the member list's example (and of live lists, reference §3.1). */
export const THIN_MEMBERSHIP_FIELDS = ['type', 'start_date', 'user_membership_id', 'status'] as const;
/** Catalogue [Membership]; `type`: live (reference §4.1). */
export const CATALOGUE_FIELDS = ['_id', 'branch_id', 'namespace', 'active', 'name', 'description', 'buy_just_once', 'plans', 'type'] as const;
/** [MembershipPlan]; `name`, `auto_renewal`, `credits`: live (reference §4.1). */
export const PLAN_FIELDS = ['code', 'name', 'type', 'price', 'upfront_fee', 'starts_on', 'auto_renewal', 'duration_time_unit', 'duration_time_unit_count', 'credits'] as const;
/** `GET /2.0/credits` items [Credits]. */
export const CREDIT_FIELDS = [
	'_id', 'branch_id', 'namespace', 'user_id', 'active', 'model', 'category_id', 'model_ids', 'num_sessions', 'available', 'bookings',
	'start_date', 'end_date', 'type', 'image_url', 'membership_id', 'membership_name', 'created', 'modified',
] as const;
/** Events [BasicEvent + Class | Course | TimeSlot]; the class example of the reference §5.1 (live) carries `model`, `model_id`, `session_id` too. */
export const EVENT_FIELDS = [
	'_id', 'type', 'namespace', 'branch_id', 'program_id', 'name', 'description', 'active', 'private', 'is_online', 'image_url',
	'time_start', 'duration', 'size', 'booked', 'waiting', 'level', 'facility', 'trainers', 'status', 'open_booking_time',
	'close_booking_time', 'model', 'model_id', 'session_id', 'modified',
] as const;
/** `GET /2.0/bookings` items [ClassBooking | CourseBooking | TimeSlotBooking]: no `event_id`, the event is `model_id`. */
export const BOOKING20_FIELDS = [
	'_id', 'branch_id', 'namespace', 'user_id', 'user_name', 'status', 'attended', 'time_start', 'duration', 'paid', 'guest_bookings',
	'description', 'image_url', 'model', 'model_id', 'model_name', 'event_name', 'is_free', 'created', 'modified',
] as const;
/** `GET /2.2/branches/{b}/bookings` items [BranchBooking]; `cancellations`, `origin`, `metadata`: live (reference §6.1). */
export const BOOKING22_FIELDS = [
	'_id', 'namespace', 'branch_id', 'user_id', 'user_name', 'type', 'program_id', 'event_id', 'event_name', 'time_slot_id', 'model',
	'model_id', 'model_name', 'course_id', 'session_id', 'guest_bookings', 'status', 'attended', 'paid', 'payment_method', 'time_start',
	'time_finish', 'is_first', 'is_from_waiting_list', 'is_late_cancellation', 'canceled_at', 'cancellations', 'origin', 'metadata',
	'batch_id', 'created', 'modified',
] as const;
/** `GET /2.0/branches/{id}` [BranchBaseResponse]; `opening_times`, `features`, `configuration`: live (reference §5.3). */
export const BRANCH_FIELDS = [
	'_id', 'name', 'namespace', 'address', 'phone', 'email', 'website', 'facebook', 'instagram', 'about', 'corporate_id', 'opening_times', 'features', 'configuration',
] as const;
/** [BranchAddress]; `country`, `timezone_name`: live (reference §5.3). */
export const BRANCH_ADDRESS_FIELDS = [
	'street', 'city', 'state', 'district', 'country', 'country_code', 'postal_code', 'latitude', 'longitude', 'currency', 'timezone_id', 'timezone_name',
] as const;
/** `POST /2.0/access` answer's `access` [AccessResponse]. */
export const ACCESS_FIELDS = ['_id', 'user_id', 'branch_id', 'namespace', 'entry_at', 'status', 'valid_on_entry', 'door', 'door_type', 'created', 'modified'] as const;
