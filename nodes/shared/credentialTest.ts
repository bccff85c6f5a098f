/**
 * The editor's "Test" button for the pack's credentials.
 *
 * How n8n 2.40 runs it (CredentialsTester.testCredentials): a credential type's declarative `test`
 * wins when it has one, and that is one request with no retry whose only verdicts are "OK", a fixed
 * message per status code, or the bare status text. Otherwise n8n calls the function a node names
 * in `credentials[].testedBy` (`methods.credentialTest`), with a context whose only HTTP helper is
 * `helpers.request`. The pack's three credentials use such a function, this one:
 * - one GET of a cheap read, with the credential type's own `authenticate` (the same headers as
 *   every node request);
 * - through the same pacer as the nodes: a sync running in this n8n keeps its budget, the test
 *   waits for a free slot instead of pushing the sync (or itself) into a 429;
 * - a 429 or a 5xx is tried again while the wait fits in a few seconds (Retry-After honoured);
 * - a rate limit that lasts says so, and that it says nothing about the key; a refusal says which
 *   secret to check. Secrets never appear in the message.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { sleep as n8nSleep } from 'n8n-workflow';

import {
	accountKey,
	type ApiDefinition,
	baseUrlOf,
	type Headers,
	header,
	MALFORMED,
	networkCode,
	networkProblem,
	parseBody,
	redactSecrets,
} from './http';
import { pacerFor, type Sleep } from './pacing';
import { defaultRetryPolicy, isRetryable, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry';

export interface CredentialTestSpec {
	api: ApiDefinition;
	/** The credential type's own `authenticate`. */
	authenticate(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): Promise<IHttpRequestOptions>;
	/** A cheap authenticated read, relative to the base URL. */
	path: string;
	qs?: IDataObject;
	/** What the secret is called in messages ("API key", "token"). */
	secretName: string;
	/** The message for a 2xx answer the API flags as a failure (`api.failureInBody`). */
	refusedInBody?: string;
}

/** The longest the test waits in all (pacing and retries) before it reports a rate limit. */
export const CREDENTIAL_TEST_WAIT_MS = 5_000;
/** A GET is repeated at most twice, about 1 s then 2 s apart (±20 %) unless the API says how long to wait. */
const TEST_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 2_000, maxRetryAfterMs: CREDENTIAL_TEST_WAIT_MS };
const REQUEST_TIMEOUT_MS = 15_000;

interface Answer {
	status: number;
	body: unknown;
	headers: Headers;
}

/** Runs the test; `sleep` and `now` are injectable for tests. */
export async function runCredentialTest(
	ctx: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
	spec: CredentialTestSpec,
	{ sleep = n8nSleep as Sleep, now = Date.now }: { sleep?: Sleep; now?: () => number } = {},
): Promise<INodeCredentialTestResult> {
	const { api } = spec;
	const data = credential.data ?? {};
	const secrets = api.secrets?.(data) ?? [];
	const baseUrl = baseUrlOf(api, data);
	const pacer = pacerFor(accountKey(api, baseUrl, data), api.pace(data), sleep, now);
	const started = now();
	const where = `GET ${spec.path}`;

	for (let attempt = 1; ; attempt++) {
		const answered = await pacer.acquire();
		let answer: Answer;
		try {
			const options = await spec.authenticate(data, {
				method: 'GET',
				url: `${baseUrl}${spec.path}`,
				qs: spec.qs,
				headers: {},
				json: true,
			});
			// The only HTTP helper n8n gives a credential test (ICredentialTestFunctions).
			const raw = (await ctx.helpers.request({
				method: 'GET',
				uri: options.url,
				qs: options.qs,
				headers: options.headers,
				json: true,
				simple: false,
				resolveWithFullResponse: true,
				timeout: REQUEST_TIMEOUT_MS,
			})) as { statusCode: number; body: unknown; headers?: Headers };
			answer = { status: raw.statusCode, body: parseBody(raw.body), headers: raw.headers ?? {} };
			// A 429 slows the account's pacer, which the running syncs share (see pacing.ts).
			const asked = parseRetryAfter(header(answer.headers, 'retry-after'));
			answered({ status: answer.status, retryAfterMs: asked === undefined ? undefined : Math.min(asked, defaultRetryPolicy.maxRetryAfterMs) });
		} catch (error) {
			return {
				status: 'Error',
				message: `Could not reach ${api.service} at ${baseUrl} (${networkProblem(networkCode(error))}). Check the Base URL in the credential, and that this n8n can reach it.`,
			};
		} finally {
			answered(); // after a network failure; a second call changes nothing
		}

		if (answer.body === MALFORMED) {
			return { status: 'Error', message: `${api.service} answered ${where} with a body that is not JSON. Check the Base URL in the credential.` };
		}
		const body = redactSecrets(answer.body, secrets);
		if (answer.status >= 200 && answer.status < 300) {
			if (api.failureInBody?.(body)) return { status: 'Error', message: spec.refusedInBody ?? `${api.service} refused the ${spec.secretName}` };
			return { status: 'OK', message: 'Connection successful!' };
		}

		const retryAfterMs = parseRetryAfter(header(answer.headers, 'retry-after'));
		const delayMs = retryDelayMs(attempt, TEST_POLICY, retryAfterMs);
		const retryable = isRetryable({ kind: 'status', status: answer.status }, true);
		const fits = (retryAfterMs ?? 0) <= CREDENTIAL_TEST_WAIT_MS && now() - started + delayMs <= CREDENTIAL_TEST_WAIT_MS;
		if (retryable && attempt < TEST_POLICY.maxAttempts && fits) {
			await sleep(delayMs);
			continue;
		}

		const { message, description } = api.explain({
			status: answer.status,
			body,
			method: 'GET',
			path: spec.path,
			credentialName: credential.name,
		});
		if (answer.status === 429) {
			const wait = retryAfterMs !== undefined ? `; it asks to wait ${Math.ceil(retryAfterMs / 1000)} s` : '';
			return {
				status: 'Error',
				message: `${api.service} is rate-limiting this account right now (429 Too Many Requests${wait}), so the test could not check the ${spec.secretName}. This is not a sign of a wrong ${spec.secretName}: a sync or another tool is probably using the same account. Test again in a minute. ${description}`,
			};
		}
		return { status: 'Error', message: `${message}. ${description}` };
	}
}
