/**
 * The cookies of a Streaming API conversation. Salesforce requires the `BAYEUX_BROWSER` cookie its
 * handshake sets on every later request ("Client … has established a session, but no BAYEUX_BROWSER
 * cookie present"), and n8n's request helpers keep no cookies; so the session keeps them here.
 * One host only (the instance), so Domain and Path are not needed; a cookie set to expire is dropped.
 */
export class CookieJar {
	private readonly cookies = new Map<string, string>();

	/** Takes the `Set-Cookie` header(s) of an answer. */
	remember(setCookie: unknown): void {
		const headers = Array.isArray(setCookie)
			? setCookie
			: typeof setCookie === 'string'
				? splitJoinedCookies(setCookie)
				: [];
		for (const header of headers) {
			if (typeof header !== 'string') continue;
			const [pair, ...attributes] = header.split(';');
			const separator = pair.indexOf('=');
			if (separator <= 0) continue;
			const name = pair.slice(0, separator).trim();
			const value = pair.slice(separator + 1).trim();
			const expired = attributes.some((attribute) =>
				/^\s*max-age\s*=\s*(-\d+|0)\s*$/i.test(attribute),
			);
			if (expired) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}

	/** The `Cookie` header to send, undefined when there is none. */
	header(): string | undefined {
		if (this.cookies.size === 0) return undefined;
		return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
	}

	clear(): void {
		this.cookies.clear();
	}
}

/** Several cookies joined into one header: split at the commas that start another `name=` (not inside `Expires=Wed, 21 Oct …`). */
function splitJoinedCookies(header: string): string[] {
	return header.split(/,(?=\s*[^;,=\s]+=)/);
}
