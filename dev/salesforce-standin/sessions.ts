/**
 * Sessions as Salesforce keeps them: no fixed lifetime, only an inactivity timeout that every use
 * of the session pushes back. That is why the token response has no `expires_in`.
 */

export interface Session {
	token: string;
	userId: string;
	username: string;
	consumerKey: string;
	issuedAt: number;
	lastUsedAt: number;
}

export class SessionStore {
	private readonly sessions = new Map<string, Session>();

	constructor(private readonly inactivityTimeoutMs: number) {}

	add(session: Session): void {
		this.sessions.set(session.token, session);
	}

	/** The live session for a token, its clock refreshed; dead sessions are dropped on the way. */
	use(token: string, now = Date.now()): Session | undefined {
		const session = this.peek(token, now);
		if (session) session.lastUsedAt = now;
		return session;
	}

	/** The live session for a token without counting as a use. */
	peek(token: string, now = Date.now()): Session | undefined {
		const session = this.sessions.get(token);
		if (!session) return undefined;
		if (now - session.lastUsedAt >= this.inactivityTimeoutMs) {
			this.sessions.delete(token);
			return undefined;
		}
		return session;
	}

	end(token: string): boolean {
		return this.sessions.delete(token);
	}

	endWhere(predicate: (session: Session) => boolean): void {
		for (const session of [...this.sessions.values()]) {
			if (predicate(session)) this.sessions.delete(session.token);
		}
	}

	endAll(): void {
		this.sessions.clear();
	}

	/** The live sessions, as a file keeps them. */
	all(now = Date.now()): Session[] {
		return this.liveTokens(now).map((token) => ({ ...(this.sessions.get(token) as Session) }));
	}

	liveTokens(now = Date.now()): string[] {
		return [...this.sessions.keys()].filter((token) => this.peek(token, now) !== undefined);
	}
}

/** Salesforce's per-user login budget (3,600 an hour by default), as a sliding one-hour window. */
export class LoginRateLimiter {
	private readonly loginsByUser = new Map<string, number[]>();

	constructor(
		private readonly limitPerHour: number,
		private readonly windowMs = 60 * 60 * 1000,
	) {}

	/** True when another login for this user would exceed the budget. */
	exceeded(userKey: string, now = Date.now()): boolean {
		return this.recent(userKey, now).length >= this.limitPerHour;
	}

	record(userKey: string, now = Date.now()): void {
		const logins = this.recent(userKey, now);
		logins.push(now);
		this.loginsByUser.set(userKey, logins);
	}

	private recent(userKey: string, now: number): number[] {
		const logins = (this.loginsByUser.get(userKey) ?? []).filter((at) => now - at < this.windowMs);
		this.loginsByUser.set(userKey, logins);
		return logins;
	}
}
