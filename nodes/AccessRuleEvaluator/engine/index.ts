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
	REGISTRATION_KINDS,
	parseAllowedMemberships,
	resolveParameters,
} from './params';
export type {
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
	normaliseMembershipStatus,
	normaliseMembershipType,
	normaliseRegistrationStatus,
	parseProfile,
} from './profile';
export type {
	Membership,
	MembershipStatus,
	MembershipType,
	ParsedProfile,
	ProfileParse,
	Registration,
	RegistrationStatus,
	SchemaAcceptsAccessProfile,
} from './profile';
export { evaluateMembership, evaluateProfileRules, evaluateRegistration, ruleContext, summaryDenials } from './rules';
export type { ProfileRuleResult, RuleContext, RuleOutcome } from './rules';
export { compareWindows, containsInstant, isRelevant, mergeWindows, selectWindow, toOutputWindow } from './windows';
export type { MergedWindow, SelectedWindow } from './windows';
export { checkEmail, isValidEmail, normaliseEmail } from './email';
export type { EmailCheck } from './email';
export { OPEN_END, OPEN_START, localDateToInstant, parseInstant, toIso } from './dates';
export type { InstantParse } from './dates';
export { DENIAL_CODES, GRANT_CODES } from './types';
export type {
	AccessDecision,
	AccessProfile,
	AccessProfileMembership,
	AccessProfileRegistration,
	DenialCode,
	EvaluatedItem,
	GrantCode,
	OutputWindow,
	Reason,
	ReasonCode,
	Window,
	WindowBasis,
} from './types';
