import { createHash } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { pacerFor, type PaceRule } from './pacing';
import { defaultRetryPolicy, type Failure, isRetryable, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry';

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export type Headers = Record<string, string | string[] | undefined>;

export interface ApiResponse<T = unknown> {
	status: number;
	body: T;
	headers: Headers;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Relative to the credential's base URL, e.g. `/shares`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** Statuses the caller handles itself (e.g. 404 = "not found", 422 = "already exists"). */
	expect?: number[];
	/** A 2xx body the API flags as a failure (Glofox's `success: false`) that the caller handles itself. */
	expectInBody?: (body: unknown) => boolean;
	/** Whether repeating the request is harmless. Defaults to every method but POST. */
	idempotent?: boolean;
	/** Give up on one attempt after this long (default 60 s); for calls made while a webhook sender waits. */
	timeoutMs?: number;
}

/** A failed call, as the API described it: what `explain` turns into a message for the user. */
export interface ApiProblem {
	status: number;
	body: unknown;
	method: string;
	path: string;
	credentialName: string;
}

export interface ApiDefinition {
	/** "Kisi", "TeamUp", "Glofox": used in every message. */
	service: string;
	credentialType: string;
	defaultBaseUrl: string;
	/** The documented rate limit, possibly lowered in the credential. */
	pace(credentials: ICredentialDataDecryptedObject): PaceRule;
	/** Identifies the API account for pacing; hashed before use, never stored in clear. */
	accountOf(credentials: ICredentialDataDecryptedObject): string;
	explain(problem: ApiProblem): { message: string; description: string };
	/** Glofox reports some failures as HTTP 200 with `{"success": false}`. */
	failureInBody?(body: unknown): boolean;
	/**
	 * The credential's secret values. An answer that echoes one (a misconfigured proxy, an API
	 * quoting the header it refused) has it replaced by `[redacted]` before anything is built from it.
	 */
	secrets?(credentials: ICredentialDataDecryptedObject): unknown[];
}

const REQUEST_TIMEOUT_MS = 60_000;

/**
 * One API account as seen by one node execution: paces, retries, counts and explains requests.
 * All HTTP goes through n8n's `httpRequestWithAuthentication`, so the credential's own
 * `authenticate` block adds the secrets, and proxies behave as for every other node.
 */
export class ApiClient {
	/** Requests actually sent (including retries) during this execution. */
	requestCount = 0;

	private credentials?: ICredentialDataDecryptedObject;

	constructor(
		readonly ctx: RequestContext,
		readonly api: ApiDefinition,
		private readonly policy: RetryPolicy = defaultRetryPolicy,
	) {}

	async getCredentials(): Promise<ICredentialDataDecryptedObject> {
		this.credentials ??= await this.ctx.getCredentials(this.api.credentialType);
		return this.credentials;
	}

	async baseUrl(): Promise<string> {
		return baseUrlOf(this.api, await this.getCredentials());
	}

	credentialName(): string {
		return this.ctx.getNode().credentials?.[this.api.credentialType]?.name ?? this.api.credentialType;
	}

	async request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
		const credentials = await this.getCredentials();
		const baseUrl = await this.baseUrl();
		const pacer = pacerFor(accountKey(this.api, baseUrl, credentials), this.api.pace(credentials), sleep);
		const idempotent = request.idempotent ?? request.method !== 'POST';

		for (let attempt = 1; ; attempt++) {
			const answered = await pacer.acquire();
			const options: IHttpRequestOptions = {
				method: request.method,
				url: `${baseUrl}${request.path}`,
				qs: request.qs,
				body: request.body,
				json: true,
				headers: {},
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: request.timeoutMs ?? REQUEST_TIMEOUT_MS,
			};
			this.requestCount++;
			let failure: Failure;
			let retryAfterMs: number | undefined;
			let response: ApiResponse<unknown> | undefined;
			try {
				const raw = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					this.api.credentialType,
					options,
				)) as { statusCode: number; body: unknown; headers: Headers };
				response = { status: raw.statusCode, body: raw.body, headers: raw.headers ?? {} };
			} catch (error) {
				failure = { kind: 'network', code: networkCode(error) };
			}
			// A 429 slows every request of this account in this process, not only this one's retry.
			const asked = response && parseRetryAfter(header(response.headers, 'retry-after'));
			answered(response && { status: response.status, retryAfterMs: asked === undefined ? undefined : Math.min(asked, this.policy.maxRetryAfterMs) });

			if (response) {
				const parsed = parseBody(response.body);
				if (parsed === MALFORMED) {
					failure = { kind: 'malformed' };
				} else {
					response.body = this.redact(parsed);
					const ok = response.status >= 200 && response.status < 300;
					if (request.expect?.includes(response.status)) return response as ApiResponse<T>;
					if (ok && (!this.api.failureInBody?.(parsed) || request.expectInBody?.(parsed))) return response as ApiResponse<T>;
					failure = { kind: 'status', status: response.status };
					retryAfterMs = asked;
					if (ok || !isRetryable(failure, idempotent) || attempt >= this.policy.maxAttempts) {
						throw this.apiError(request, response.status, response.body, attempt);
					}
				}
			}

			if (!isRetryable(failure!, idempotent) || attempt >= this.policy.maxAttempts) {
				throw this.transportError(request, failure!, attempt);
			}
			await sleep(retryDelayMs(attempt, this.policy, retryAfterMs));
		}
	}

	private apiError(request: ApiRequest, status: number, body: unknown, attempts: number): NodeApiError {
		const problem: ApiProblem = {
			status,
			body,
			method: request.method,
			path: request.path,
			credentialName: this.credentialName(),
		};
		const { message, description } = this.api.explain(problem);
		const retried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
		return new NodeApiError(
			this.ctx.getNode(),
			{ status, method: request.method, path: request.path, response: safeJson(body) } as JsonObject,
			{
				message: `${message}${retried}`,
				description,
				httpCode: String(status),
				itemIndex: request.itemIndex,
			},
		);
	}

	private transportError(request: ApiRequest, failure: Failure, attempts: number): NodeApiError {
		const what =
			failure.kind === 'malformed'
				? `${this.api.service} answered with a body that is not valid JSON`
				: failure.kind === 'network'
					? `Could not reach ${this.api.service} (${networkProblem(failure.code)})`
					: `${this.api.service} failed`;
		const maybe = failure.kind !== 'malformed' && request.method === 'POST' ? ' It may or may not have been recorded.' : '';
		const message = `${what} on ${request.method} ${request.path} after ${attempts} attempt${attempts > 1 ? 's' : ''}.${maybe}`;
		return new NodeApiError(
			this.ctx.getNode(),
			{ method: request.method, path: request.path, failure: failure.kind } as JsonObject,
			{
				message,
				description: maybe
					? 'Check the Base URL in the credential and that the service is up. The request was not repeated, as the service may have acted on it.'
					: 'Check the Base URL in the credential and that the service is up; the request is safe to retry later.',
				itemIndex: request.itemIndex,
			},
		);
	}

	/** The answer with every secret of the credential replaced by `[redacted]`. */
	private redact(body: unknown): unknown {
		return redactSecrets(body, this.api.secrets?.(this.credentials ?? {}) ?? []);
	}
}

/** The credential's base URL without trailing slashes (the API's default when empty). */
export function baseUrlOf(api: ApiDefinition, credentials: ICredentialDataDecryptedObject): string {
	const base = String(credentials.baseUrl ?? '').trim() || api.defaultBaseUrl;
	return base.replace(/\/+$/, '');
}

/** The pacing key of an API account: the same for every caller in this process, never the secret in clear. */
export function accountKey(api: ApiDefinition, baseUrl: string, credentials: ICredentialDataDecryptedObject): string {
	return createHash('sha256').update(`${api.service}\n${baseUrl}\n${api.accountOf(credentials)}`).digest('hex').slice(0, 24);
}

/** `body` with every secret value (4 characters or more) replaced by `[redacted]`. */
export function redactSecrets(body: unknown, values: unknown[]): unknown {
	const secrets = values
		.filter((value): value is string => typeof value === 'string' && value.trim().length >= 4)
		.map((value) => JSON.stringify(value).slice(1, -1));
	if (secrets.length === 0 || body === undefined || body === null) return body;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	if (!secrets.some((secret) => text.includes(secret))) return body;
	const clean = secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
	return typeof body === 'string' ? clean : JSON.parse(clean);
}

export const MALFORMED = Symbol('malformed');

/** n8n hands back a string when a JSON response does not parse (a proxy's HTML page, a cut body). */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return MALFORMED;
	}
}

export function header(headers: Headers, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/**
 * Network failures in words. n8n's errors replace any message that contains a Node error code
 * such as ECONNRESET (also when it is quoted inside a longer message, e.g. a sync's "only partly
 * synced" summary) with a generic text naming neither the service nor the request.
 */
const NETWORK_PROBLEMS: Record<string, string> = {
	ECONNRESET: 'connection reset',
	ECONNREFUSED: 'connection refused',
	ECONNABORTED: 'connection aborted or timed out',
	ETIMEDOUT: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	EPIPE: 'connection broken',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	EADDRNOTAVAIL: 'address not available',
};

export function networkProblem(code: string): string {
	return NETWORK_PROBLEMS[code] ?? (code || 'network error');
}

export function networkCode(error: unknown): string {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const candidate = current as { code?: unknown; cause?: unknown; context?: { code?: unknown } };
		for (const code of [candidate.code, candidate.context?.code]) {
			if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		}
		current = candidate.cause;
	}
	return '';
}

/** API error bodies are echoed to the user; keep them JSON-safe and short. */
function safeJson(body: unknown): unknown {
	if (body === undefined || body === null) return null;
	const text = JSON.stringify(body);
	return text.length > 2000 ? `${text.slice(0, 2000)}…` : body;
}
