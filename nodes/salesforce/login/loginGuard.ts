/**
 * Keeps one n8n process from hammering Salesforce's login endpoint.
 *
 * - Single flight: executions that need a session at the same moment share one login.
 * - Short memory: an execution that read the credential just before another one stored a fresh
 *   token gets that token instead of logging in again — but only if it found dead the very session
 *   (or an older one) that login replaced. In queue mode another worker may have stored a session
 *   of its own since; when that one dies, this process's remembered one is no proof of life.
 * - Cool-down: after Salesforce refuses the details, the same unchanged details are not sent again
 *   for a while, so a schedule firing every minute with a wrong password cannot lock the user out
 *   (Salesforce locks a user after a few failed logins) or burn the 3,600-logins-per-hour budget.
 *
 * Everything is keyed by a hash of the login details, so changing any of them starts afresh, and no
 * secret is kept in a key.
 */
import { createHash } from 'crypto';
import { SalesforceAuthError } from '../errors';
import { AUTH_FAILURE_COOLDOWN_MS, RATE_LIMIT_COOLDOWN_MS } from './cooldowns';
import type { LoginDetails } from './loginDetails';
import type { SalesforceSession } from './tokenResponse';

/** How long a fresh session is handed to callers that missed it (they read the credential before it was stored). */
const RECENT_SESSION_MS = 60_000;

interface Refusal {
	error: SalesforceAuthError;
	at: number;
	until: number;
}

/**
 * A refusal as the credential stores it (hidden field `loginRefusal`, JSON), so every n8n process
 * sharing the credential store — main, workers, `n8n execute` — holds back the same details. Keyed
 * by the details' hash; it holds the texts shown to the user (never a secret) and the times.
 */
export interface StoredRefusal {
	key: string;
	reason: string;
	message: string;
	description: string;
	salesforceError?: string;
	httpStatus?: number;
	at: number;
	until: number;
}

/** The hidden credential field holding a StoredRefusal as JSON ('' when there is none). */
export const LOGIN_REFUSAL_FIELD = 'loginRefusal';

/** The session a caller found dead (its stored `issuedAt` says how old it is). */
export interface StaleSession {
	accessToken: string;
	issuedAt?: string;
}

function issuedAtMs(issuedAt: string | undefined): number {
	const value = Number(issuedAt);
	return Number.isFinite(value) && value > 0 ? value : 0;
}

function asStale(stale: string | StaleSession | undefined): StaleSession {
	if (stale === undefined) return { accessToken: '' };
	return typeof stale === 'string' ? { accessToken: stale } : stale;
}

/** The error shown while a refusal is in force: the original texts, when, and how to try again. */
function coolingDownError(
	original: { message: string; description: string; salesforceError?: string; httpStatus?: number },
	at: number,
	until: number,
	now: number,
): SalesforceAuthError {
	const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
	return new SalesforceAuthError(
		'cooling-down',
		`${original.message} Not retried: the same details were refused at ${formatTime(at)}.`,
		`${original.description} To protect the Salesforce user from lockout, these unchanged details are not sent again until ${formatTime(until)} (about ${minutes} min). Fix and save the credential (or the deprecated node's fields), or open the credential (n8n tests it on opening; Retry tests it again), to try again at once.`,
		{ salesforceError: original.salesforceError, httpStatus: original.httpStatus },
	);
}

/** Reads a stored refusal; undefined when the text is empty or not one. */
export function parseStoredRefusal(text: unknown): StoredRefusal | undefined {
	if (typeof text !== 'string' || text === '') return undefined;
	try {
		const value = JSON.parse(text) as Partial<StoredRefusal>;
		if (
			typeof value.key !== 'string' ||
			typeof value.at !== 'number' ||
			typeof value.until !== 'number'
		)
			return undefined;
		if (typeof value.message !== 'string' || typeof value.description !== 'string')
			return undefined;
		return value as StoredRefusal;
	} catch {
		return undefined;
	}
}

/** The cool-down error of a stored refusal still in force for the details with this key. */
export function storedRefusalInForce(
	text: unknown,
	key: string,
	now: number = Date.now(),
): SalesforceAuthError | undefined {
	const refusal = parseStoredRefusal(text);
	if (!refusal || refusal.key !== key || now >= refusal.until) return undefined;
	return coolingDownError(refusal, refusal.at, refusal.until, now);
}

export type Clock = () => number;

export interface GuardedLogin {
	session: SalesforceSession;
	/** True when no login was sent: the session came from one that finished moments ago. */
	fromMemory: boolean;
}

export function loginKey(details: LoginDetails): string {
	const fields = [
		details.flow,
		details.host.origin,
		details.consumerKey,
		details.consumerSecret,
		details.username,
		details.passwordWithToken,
	];
	// Only for JWT Bearer, so the keys of the other flows' stored sessions stay what they were.
	if (details.flow === 'jwtBearer')
		fields.push(details.privateKey, details.passphrase, details.audience);
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function formatTime(epochMs: number): string {
	return new Date(epochMs).toISOString().slice(11, 16) + ' UTC';
}

export class LoginGuard {
	private readonly inFlight = new Map<string, Promise<SalesforceSession>>();

	/** The last session each key's login got, when, and the issuedAt (ms) of the session it replaced. */
	private readonly recent = new Map<
		string,
		{ session: SalesforceSession; at: number; replaced: number }
	>();

	private readonly refusals = new Map<string, Refusal>();

	constructor(private readonly now: Clock = () => Date.now()) {}

	/** The refusal still in force for these details, as an error to show instead of logging in. */
	coolingDown(key: string): SalesforceAuthError | undefined {
		const refusal = this.refusals.get(key);
		if (!refusal) return undefined;
		if (this.now() >= refusal.until) {
			this.refusals.delete(key);
			return undefined;
		}
		return coolingDownError(refusal.error, refusal.at, refusal.until, this.now());
	}

	/** The refusal in force for these details, in the form the credential stores for every process. */
	refusalToStore(key: string): StoredRefusal | undefined {
		if (!this.coolingDown(key)) return undefined;
		const { error, at, until } = this.refusals.get(key) as Refusal;
		return {
			key,
			reason: error.reason,
			message: error.message,
			description: error.description,
			...(error.salesforceError ? { salesforceError: error.salesforceError } : {}),
			...(error.httpStatus ? { httpStatus: error.httpStatus } : {}),
			at,
			until,
		};
	}

	/** The stored refusal still in force for these details (see storedRefusalInForce). */
	storedRefusalInForce(text: unknown, key: string): SalesforceAuthError | undefined {
		return storedRefusalInForce(text, key, this.now());
	}

	/** Forget a refusal (the user asked to try again now). */
	lift(key: string): void {
		this.refusals.delete(key);
	}

	/**
	 * Runs `login` unless a login for the same details is already running (then shares it) or just
	 * finished (then returns that session, marked `fromMemory`) — the latter only when the caller's
	 * dead session `stale` is the one that login replaced, or older: a session issued after the one
	 * that login replaced (another worker's, stored since) was not known when it ran, and when that
	 * one is dead the remembered one may be too. With `reuseRecent: false` only a login still
	 * running is shared: the Test button proves the details as they are now.
	 */
	async login(
		key: string,
		stale: string | StaleSession | undefined,
		login: () => Promise<SalesforceSession>,
		options: { reuseRecent?: boolean } = {},
	): Promise<GuardedLogin> {
		const dead = asStale(stale);
		const deadIssuedAt = issuedAtMs(dead.issuedAt);
		const recent = this.recent.get(key);
		if (recent && dead.accessToken !== '' && recent.session.accessToken === dead.accessToken)
			this.recent.delete(key);
		else if (
			options.reuseRecent !== false &&
			recent &&
			this.now() - recent.at < RECENT_SESSION_MS &&
			deadIssuedAt <= recent.replaced &&
			(deadIssuedAt === 0 || issuedAtMs(recent.session.issuedAt) > deadIssuedAt)
		) {
			return { session: recent.session, fromMemory: true };
		}
		const running = this.inFlight.get(key);
		if (running) return { session: await running, fromMemory: false };

		const attempt = login().then(
			(session) => {
				this.refusals.delete(key);
				this.recent.set(key, { session, at: this.now(), replaced: deadIssuedAt });
				return session;
			},
			(error: unknown) => {
				this.recordFailure(key, error);
				throw error;
			},
		);
		this.inFlight.set(key, attempt);
		try {
			return { session: await attempt, fromMemory: false };
		} finally {
			this.inFlight.delete(key);
		}
	}

	/** A session of these details turned out to be dead (a 401): never hand it out again. */
	forgetSession(key: string, accessToken: string): void {
		if (this.recent.get(key)?.session.accessToken === accessToken) this.recent.delete(key);
	}

	private recordFailure(key: string, error: unknown): void {
		this.recent.delete(key);
		if (!(error instanceof SalesforceAuthError) || !error.isAuthenticationFailure) return;
		const at = this.now();
		const pause =
			error.reason === 'login-rate-exceeded' ? RATE_LIMIT_COOLDOWN_MS : AUTH_FAILURE_COOLDOWN_MS;
		this.refusals.set(key, { error, at, until: at + pause });
	}
}

/**
 * One guard per n8n process: the credential and both nodes import this module, so they share it.
 * (In queue mode each worker has its own; the stored session and the stored refusal are shared
 * through the credential in the database.)
 */
export const loginGuard = new LoginGuard();
