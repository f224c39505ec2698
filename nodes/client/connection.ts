/**
 * A connection to the org of the node's Salesforce Integration API credential, made from any n8n
 * function context (a node's execution, the editor loading options, a poll, a trigger). Every
 * request goes through n8n's `httpRequestWithAuthentication` with the credential, so n8n applies
 * the session (the credential's `authenticate` sets the Bearer header and the instance URL) and
 * renews it; the token never passes through this code.
 *
 * THE send loop of the package: a 401 n8n handed back (n8n 1.x always; a stream body, which n8n
 * cannot send twice) gets one deliberate re-login through n8n; a locked record and an unavailable
 * Salesforce are sent again on the one retry schedule, the daily API limit never; every failure is
 * translated by the core into what is wrong and what to change, never carrying the request.
 *
 * A connection counts what it sends (`requestsSent`: what a poll or a job reports) and remembers
 * the API usage Salesforce last reported to it. No count outlives the connection.
 */
import { sleep } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';
import { findSalesforceAuthError, toNodeError, unlessAborted } from '../n8n';
import {
	explainCancelled,
	explainNoAnswer,
	explainRestError,
	fromStoredFields,
	parseLimitInfo,
	resolveApiPath,
	REST_API_VERSION,
	RETRY_DELAYS_MS,
	SalesforceRestError,
	SESSION_CHECK_PATH,
	type ApiUsage,
} from '../salesforce';
import { CREDENTIAL_TYPE, type ClientContext } from './context';
import { forgetSession, markSessionAlive } from './liveSessions';
import { answerIn, networkCodeIn } from './n8nAnswers';
import {
	n8nOptionsFor,
	plainHeaders,
	readableErrorBody,
	type ByteStream,
	type N8nFullResponse,
	type ResponseHeaders,
	type SalesforceRequest,
	type SalesforceResponse,
} from './requests';

/** What the loop ends with: Salesforce's 2xx answer, or the failure as the core explains it. */
export type Outcome<T = unknown> =
	| { response: SalesforceResponse<T>; failure?: undefined }
	| { failure: SalesforceRestError; response?: undefined };

interface Answer {
	status: number;
	body: unknown;
	headers: ResponseHeaders;
	/** n8n threw it (after its own re-login and retry on a 401), rather than handing it back. */
	thrown: boolean;
}

/** The session check n8n sends when asked to prove (or renew) the session. */
const SESSION_CHECK: IHttpRequestOptions = { method: 'GET', url: SESSION_CHECK_PATH, json: true };

/** How often a connection re-reads the credential to remember its session as alive. */
const MARK_ALIVE_EVERY_MS = 10_000;

export class SalesforceConnection {
	private sent = 0;

	private usage: ApiUsage | undefined;

	private markedAliveAt: number | undefined;

	/** The context as n8n's request helpers see it when a request must outlive the execution's cancellation. */
	private readonly uncancellable: ClientContext;

	constructor(private readonly context: ClientContext) {
		this.uncancellable = withoutCancelSignal(context);
	}

	/**
	 * The execution's cancel signal (the user stopped it, or it timed out) where the context has one
	 * (a node's execution); undefined in the editor, a poll or a trigger.
	 */
	get cancelSignal(): AbortSignal | undefined {
		const own = (this.context as { getExecutionCancelSignal?: () => AbortSignal | undefined })
			.getExecutionCancelSignal;
		return typeof own === 'function' ? own.call(this.context) : undefined;
	}

	/** HTTP requests this connection asked n8n to send (a 401 n8n re-sends by itself counts once). */
	get requestsSent(): number {
		return this.sent;
	}

	/** The org's API usage as Salesforce last reported it to this connection (Sforce-Limit-Info). */
	get apiUsage(): ApiUsage | undefined {
		return this.usage ? { ...this.usage } : undefined;
	}

	get node(): INode {
		return this.context.getNode();
	}

	/** The id of the credential in use (the node's name when n8n gives none): what per-org memories are keyed by. */
	get credentialKey(): string {
		const node = this.context.getNode();
		return node.credentials?.[CREDENTIAL_TYPE]?.id ?? node.name;
	}

	/** Any failure as the error n8n shows: the core's message and description, never the request. */
	nodeError(error: unknown): NodeApiError | NodeOperationError {
		return toNodeError(this.context.getNode(), error);
	}

	/** The credential's fields as n8n holds them now (the stored session included). */
	async credentials(): Promise<ICredentialDataDecryptedObject> {
		return await this.context.getCredentials(CREDENTIAL_TYPE);
	}

	/** The instance URL of the credential's session (where requests go), to name in "could not be reached". */
	async instanceUrl(): Promise<string | undefined> {
		try {
			return fromStoredFields(await this.credentials())?.instanceUrl;
		} catch {
			return undefined;
		}
	}

	/**
	 * Sends the request and returns Salesforce's 2xx answer. Any failure is thrown as an n8n error
	 * saying what is wrong and what to change.
	 */
	async send(request: SalesforceRequest & { answer: 'text' }): Promise<SalesforceResponse<string>>;
	async send(
		request: SalesforceRequest & { answer: 'stream' },
	): Promise<SalesforceResponse<ByteStream>>;
	async send<T = unknown>(request: SalesforceRequest): Promise<SalesforceResponse<T>>;
	async send(request: SalesforceRequest): Promise<SalesforceResponse> {
		const { response, failure } = await this.attempt(request);
		if (failure) throw this.nodeError(failure);
		return response;
	}

	/**
	 * Sends the request and returns the 2xx answer or Salesforce's refusal as the core explains it,
	 * for callers that judge a failure themselves (a batch refused as a whole, an object not found).
	 * Refused input, authentication failures and cancellation are still thrown as n8n errors.
	 */
	async attempt<T = unknown>(request: SalesforceRequest): Promise<Outcome<T>> {
		let path: string;
		try {
			path = resolveApiPath(request.path, REST_API_VERSION, 'Path', { cometd: true });
		} catch (error) {
			throw this.nodeError(error);
		}
		const what = request.what ?? `calling ${request.method} ${path.split('?')[0]}`;
		let loggedInAgain = false;
		for (let retry = 0; ; ) {
			this.throwIfCancelled(request, what);
			const answer = await this.sendOnce(
				n8nOptionsFor(request, path),
				request.signal,
				what,
				request.outlivesCancellation === true,
			);
			if (answer instanceof SalesforceRestError) return { failure: answer };
			this.usage = parseLimitInfo(answer.headers['sforce-limit-info']) ?? this.usage;
			if (
				(answer.status >= 200 && answer.status < 300) ||
				(request.everyStatus && answer.status !== 401)
			) {
				if (answer.status < 500) await this.markStoredSessionAlive();
				return {
					response: { status: answer.status, body: answer.body as T, headers: answer.headers },
				};
			}
			const body = await readableErrorBody(answer.body);
			// A 401 n8n handed back instead of logging in — n8n 1.x reads "ignore HTTP errors except
			// 401" as "ignore them all", and a stream body asks for every answer: forget the session,
			// let n8n log in through the session check, and send once more (a stream built afresh).
			if (answer.status === 401 && !answer.thrown && !loggedInAgain) {
				loggedInAgain = true;
				await this.renewSession();
				continue;
			}
			// A 401 even after a new login: never count that session as alive. Any other 4xx got past
			// authentication: the session works, whatever Salesforce said about the request.
			if (answer.status === 401) await this.forgetStoredSession();
			else if (answer.status < 500) await this.markStoredSessionAlive();
			const failure = explainRestError({
				status: answer.status,
				body,
				what,
				parameters: request.parameters,
			});
			if (failure.retry && !failure.dailyLimit && retry < RETRY_DELAYS_MS.length) {
				await sleep(RETRY_DELAYS_MS[retry]);
				retry++;
				continue;
			}
			return { failure };
		}
	}

	/**
	 * The deliberate re-login, for a session Salesforce said has ended in a way n8n cannot see: a 401
	 * n8n handed back, or the Streaming API's `401::Authentication invalid` inside an HTTP 200. The
	 * stored session is no longer counted as alive, and the session check lets n8n prove it — logging
	 * in once, through the credential's guard, when Salesforce refuses it. Returns what `checkSession` does.
	 */
	async renewSession(): Promise<unknown> {
		await this.forgetStoredSession();
		return await this.checkSession();
	}

	/**
	 * The session check, through n8n: it logs in first when the credential holds no session (or one
	 * of other details), and once more when Salesforce answers 401. Resolves with nothing once
	 * Salesforce accepted a session; the credential's own failure (refused details, a cool-down) is
	 * thrown as n8n's error; any other failure is handed back for the caller to judge.
	 */
	async checkSession(): Promise<unknown> {
		this.sent++;
		try {
			await this.context.helpers.httpRequestWithAuthentication.call(this.context, CREDENTIAL_TYPE, {
				...SESSION_CHECK,
			});
			return undefined;
		} catch (error) {
			const authError = findSalesforceAuthError(error);
			if (authError) throw this.nodeError(authError);
			return error;
		}
	}

	private async sendOnce(
		options: IHttpRequestOptions,
		signal: AbortSignal | undefined,
		what: string,
		uncancellable: boolean,
	): Promise<Answer | SalesforceRestError> {
		this.sent++;
		const context = uncancellable ? this.uncancellable : this.context;
		const sending = (
			context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				options,
			) as Promise<N8nFullResponse>
		).then(
			(response) => ({ response }),
			(error: unknown) => ({ error }),
		);
		const outcome = await unlessAborted(sending, signal);
		if (outcome === undefined) throw this.nodeError(explainCancelled(what));
		if ('response' in outcome) {
			const { response } = outcome;
			return {
				status: response.statusCode,
				body: response.body,
				headers: plainHeaders(response.headers),
				thrown: false,
			};
		}
		// The credential could not get a session (refused details, cool-down): its own error, untouched.
		const authError = findSalesforceAuthError(outcome.error);
		if (authError) throw this.nodeError(authError);
		// Where n8n passed the signal on, the request itself was aborted.
		if (signal?.aborted) throw this.nodeError(explainCancelled(what));
		const answer = answerIn(outcome.error);
		if (answer)
			return {
				status: answer.status,
				body: answer.body,
				headers: plainHeaders(answer.headers),
				thrown: true,
			};
		return explainNoAnswer(what, networkCodeIn(outcome.error), await this.instanceUrl());
	}

	private throwIfCancelled(request: SalesforceRequest, what: string): void {
		if (request.signal?.aborted) throw this.nodeError(explainCancelled(what));
	}

	// Get Access Token hands out a session this process saw Salesforce accept within a minute
	// (liveSessions): every answer that got past authentication proves the stored session alive.

	/** Remembers the stored session as alive; reads the credential at most every 10 s per connection. */
	private async markStoredSessionAlive(): Promise<void> {
		const now = Date.now();
		if (this.markedAliveAt !== undefined && now - this.markedAliveAt < MARK_ALIVE_EVERY_MS) return;
		this.markedAliveAt = now;
		try {
			const stored = fromStoredFields(await this.credentials());
			if (stored) markSessionAlive(stored.accessToken, now);
		} catch {
			// Only an optimisation: Get Access Token then checks the session itself.
		}
	}

	private async forgetStoredSession(): Promise<void> {
		this.markedAliveAt = undefined;
		try {
			const stored = fromStoredFields(await this.credentials());
			if (stored) forgetSession(stored.accessToken);
		} catch {
			// Nothing remembered for it then.
		}
	}
}

/**
 * The context with no execution cancel signal: n8n's `httpRequestWithAuthentication` puts the
 * signal of `this` on every request when `this` has `getExecutionCancelSignal` (n8n 1.x and 2.x),
 * so after a stop even the request that cleans up would be cancelled before it left. Everything
 * else is the context's own (bound to it).
 */
function withoutCancelSignal(context: ClientContext): ClientContext {
	const HIDDEN = 'getExecutionCancelSignal';
	return new Proxy(context, {
		has: (target, key) => key !== HIDDEN && key in target,
		get: (target, key) => {
			if (key === HIDDEN) return undefined;
			const value: unknown = Reflect.get(target, key, target);
			return typeof value === 'function'
				? (value as (...args: unknown[]) => unknown).bind(target)
				: value;
		},
	});
}

/** A connection to the credential's org from any n8n function context that may call Salesforce. */
export function connect(context: ClientContext): SalesforceConnection {
	return new SalesforceConnection(context);
}
