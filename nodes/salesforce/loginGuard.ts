/**
 * Keeps one n8n process from hammering Salesforce's login endpoint.
 *
 * - Single flight: executions that need a session at the same moment share one login.
 * - Short memory: an execution that read the credential just before another one stored a fresh
 *   token gets that token instead of logging in again.
 * - Cool-down: after Salesforce refuses the details, the same unchanged details are not sent again
 *   for a while, so a schedule firing every minute with a wrong password cannot lock the user out
 *   (Salesforce locks a user after a few failed logins) or burn the 3,600-logins-per-hour budget.
 *
 * Everything is keyed by a hash of the login details, so changing any of them starts afresh, and no
 * secret is kept in a key.
 */
import { createHash } from 'crypto';
import { SalesforceAuthError } from './errors';
import type { LoginDetails } from './loginDetails';
import type { SalesforceSession } from './tokenResponse';

/** After an authentication failure: long enough to stop a per-minute schedule, short enough to recover unattended. */
export const AUTH_FAILURE_COOLDOWN_MS = 5 * 60_000;
/** After `login rate exceeded`: Salesforce counts over a rolling hour, so back off longer. */
export const RATE_LIMIT_COOLDOWN_MS = 15 * 60_000;
/** How long a fresh session is handed to callers that missed it (they read the credential before it was stored). */
const RECENT_SESSION_MS = 60_000;

interface Refusal {
	error: SalesforceAuthError;
	at: number;
	until: number;
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
	if (details.flow === 'jwtBearer') fields.push(details.privateKey, details.passphrase, details.audience);
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function formatTime(epochMs: number): string {
	return new Date(epochMs).toISOString().slice(11, 16) + ' UTC';
}

export class LoginGuard {
	private readonly inFlight = new Map<string, Promise<SalesforceSession>>();

	private readonly recent = new Map<string, { session: SalesforceSession; at: number }>();

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
		const minutes = Math.max(1, Math.ceil((refusal.until - this.now()) / 60_000));
		return new SalesforceAuthError(
			'cooling-down',
			`${refusal.error.message} Not retried: the same details were refused at ${formatTime(refusal.at)}.`,
			`${refusal.error.description} To protect the Salesforce user from lockout, these unchanged details are not sent again until ${formatTime(refusal.until)} (about ${minutes} min). Fix and save the credential (or the deprecated node's fields), or press the credential's Test button, to try again at once.`,
			{ salesforceError: refusal.error.salesforceError, httpStatus: refusal.error.httpStatus },
		);
	}

	/** Forget a refusal (the user asked to try again now). */
	lift(key: string): void {
		this.refusals.delete(key);
	}

	/**
	 * Runs `login` unless a login for the same details is already running (then shares it) or just
	 * finished with a session other than `staleAccessToken` (then returns that session, marked
	 * `fromMemory`). With `reuseRecent: false` only a login still running is shared: the Test button
	 * proves the details as they are now.
	 */
	async login(
		key: string,
		staleAccessToken: string | undefined,
		login: () => Promise<SalesforceSession>,
		options: { reuseRecent?: boolean } = {},
	): Promise<GuardedLogin> {
		const recent = this.recent.get(key);
		if (
			options.reuseRecent !== false &&
			recent &&
			this.now() - recent.at < RECENT_SESSION_MS &&
			recent.session.accessToken !== staleAccessToken
		) {
			return { session: recent.session, fromMemory: true };
		}
		const running = this.inFlight.get(key);
		if (running) return { session: await running, fromMemory: false };

		const attempt = login().then(
			(session) => {
				this.refusals.delete(key);
				this.recent.set(key, { session, at: this.now() });
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

	/** The stored session turned out to be dead: never hand it out again. */
	forgetSession(key: string, accessToken: string): void {
		if (this.recent.get(key)?.session.accessToken === accessToken) this.recent.delete(key);
	}

	private recordFailure(key: string, error: unknown): void {
		this.recent.delete(key);
		if (!(error instanceof SalesforceAuthError) || !error.isAuthenticationFailure) return;
		const at = this.now();
		const pause = error.reason === 'login-rate-exceeded' ? RATE_LIMIT_COOLDOWN_MS : AUTH_FAILURE_COOLDOWN_MS;
		this.refusals.set(key, { error, at, until: at + pause });
	}
}

/**
 * One guard per n8n process: the credential and both nodes import this module, so they share it.
 * (In queue mode each worker has its own; the stored token is still shared through the database.)
 */
export const loginGuard = new LoginGuard();
