/**
 * Pure rules engine of the Access Rule Evaluator (no n8n imports): docs/spec/access-rules.md implemented on
 * absolute instants. The node reads its parameters, calls {@link evaluateAccess} with the input
 * items' JSON and maps `inputIndexes` to `pairedItem`.
 */
export { evaluateAccess, evaluateWithParameters, InvalidProfileError } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export {
	DEFAULT_PARAMETERS,
	DISPLAY_NAMES,
	InvalidParameterError,
	MAX_GRACE_DAYS,
	REGISTRATION_KINDS,
	parseAllowedMemberships,
	parseDenyList,
	resolveParameters,
} from './params';
export type {
	DenyList,
	DuplicateEmailPolicy,
	EvaluatorParameters,
	InvalidProfilePolicy,
	OutputMode,
	RegistrationKind,
	ResolvedParameters,
} from './params';
export {
	accessProfileSchema,
	formatPath,
	normaliseBlockKind,
	normaliseMembershipStatus,
	normaliseMembershipType,
	normaliseRegistrationStatus,
	parseProfile,
} from './profile';
export type {
	Block,
	Membership,
	MembershipStatus,
	MembershipType,
	ParsedProfile,
	ProfileParse,
	Registration,
	RegistrationStatus,
	SchemaAcceptsAccessProfile,
} from './profile';
export {
	blocksOf,
	evaluateMembership,
	evaluateProfileRules,
	evaluateRegistration,
	heldMembership,
	paymentGrace,
	ruleContext,
	summaryDenials,
} from './rules';
export type { GraceOutcome, ProfileRuleResult, RuleContext, RuleOutcome } from './rules';
export { compareWindows, containsInstant, isRelevant, mergeWindows, selectWindow, toOutputWindow } from './windows';
export type { MergedWindow, SelectedWindow } from './windows';
export { checkEmail, isValidEmail, normaliseEmail } from './email';
export type { EmailCheck } from './email';
export { OPEN_END, OPEN_START, addDays, isValidTimeZone, localDateToInstant, parseInstant, toIso } from './dates';
export type { InstantParse } from './dates';
export { DENIAL_CODES, GRANT_CODES } from './types';
export type {
	AccessDecision,
	AccessProfile,
	AccessProfileBlock,
	AccessProfileMembership,
	AccessProfileRegistration,
	DenialCode,
	EvaluatedItem,
	GrantCode,
	MembershipBlockKind,
	OutputWindow,
	Reason,
	ReasonCode,
	Window,
	WindowBasis,
} from './types';
