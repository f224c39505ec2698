/**
 * Translates what Salesforce (or the network) answered into a message that says what is wrong and
 * what to do. One table per kind of failure, so adding a Salesforce error code is one line.
 */
import type { SalesforceHost } from './domain';
import { SalesforceAuthError, FailureReason } from '../errors';
import { ASSERTION_LIFETIME_SECONDS } from './jwtAssertion';
import type { AuthFlow } from './loginDetails';
import { RATE_LIMIT_COOLDOWN_MS } from './cooldowns';

const LOGIN_HISTORY = 'Setup → Login History in Salesforce shows each attempt and why it failed.';

interface Explanation {
	reason: FailureReason;
	message: string;
	fix: string;
}

interface OAuthErrorBody {
	error: string;
	error_description?: string;
}

interface Context {
	host: SalesforceHost;
	flow: AuthFlow;
	/** JWT Bearer only: the assertion's `aud`. */
	audience?: string;
}

const PRE_AUTHORIZE =
	'In Salesforce: App Manager → the connected app → Manage → Edit Policies → Permitted Users: "Admin approved users are pre-authorized", ' +
	"then add the user's profile or a permission set under Profiles / Permission Sets (External Client App: its Policies tab → App Policies). ";

const CERTIFICATE_CHECK =
	'The Private Key must be the key of the certificate uploaded to the app (connected app: Edit → "Use digital signatures"; External Client App: ' +
	'OAuth Settings → "Enable JWT Bearer Flow" → certificate), and the Consumer Key must be that app\'s. To compare key and certificate: ' +
	'"openssl x509 -noout -modulus -in server.crt | openssl sha256" and "openssl rsa -noout -modulus -in server.key | openssl sha256" print the same line.';

/** Salesforce's answers to a JWT Bearer assertion it will not accept (all `invalid_grant`). */
function explainJwtGrant(text: string, context: Context): Explanation | undefined {
	if (text.includes('approved this consumer')) {
		return {
			reason: 'jwt-not-pre-authorized',
			message:
				"Salesforce refused the JWT Bearer login: the user is not pre-authorized for this app (user hasn't approved this consumer).",
			fix: `${PRE_AUTHORIZE}Also check the Username is this org's user (a sandbox username usually ends in the sandbox name). ${LOGIN_HISTORY}`,
		};
	}
	if (text.includes('audience')) {
		return {
			reason: 'jwt-audience-invalid',
			message: `Salesforce refused the JWT Bearer assertion's audience${context.audience ? ` ${context.audience}` : ''} (audience is invalid).`,
			fix:
				'External Client Apps (the default since Spring \'26) accept only the org\'s My Domain URL: choose Audience "My Domain" and enter the My Domain in the Domain field. ' +
				'An older connected app may expect "login.salesforce.com" (production, Developer Edition) or "test.salesforce.com" (sandboxes); a sandbox never accepts login.salesforce.com.',
		};
	}
	if (
		text.includes('expired') ||
		text.includes('not yet valid') ||
		text.includes('not valid yet')
	) {
		return {
			reason: 'jwt-assertion-expired',
			message:
				'Salesforce refused the JWT Bearer assertion as expired or not yet valid (expired authorization code).',
			fix:
				`The assertion is valid for ${ASSERTION_LIFETIME_SECONDS} seconds by the clock of the n8n host; a clock a few minutes off from real time makes every assertion invalid. ` +
				"Synchronise the n8n host's clock (NTP; in Docker, the host's clock), then run again.",
		};
	}
	if (
		text.includes('invalid assertion') ||
		text.includes('signature') ||
		text.includes('certificate')
	) {
		return {
			reason: 'jwt-invalid-assertion',
			message:
				"Salesforce could not verify the JWT Bearer assertion with the app's certificate (invalid assertion).",
			fix: CERTIFICATE_CHECK,
		};
	}
	return undefined;
}

function authenticationFailure(context: Context): Explanation {
	if (context.flow === 'jwtBearer') {
		return {
			reason: 'authentication-failure',
			message: 'Salesforce refused the JWT Bearer login (authentication failure).',
			fix: `Check the Username and that the user is active and not locked out, and that the app allows the JWT Bearer flow for it. ${LOGIN_HISTORY}`,
		};
	}
	if (context.flow === 'clientCredentials') {
		return {
			reason: 'authentication-failure',
			message: 'Salesforce refused the client credentials login (authentication failure).',
			fix: `Check the Consumer Key and Consumer Secret, and that the connected app enables the Client Credentials flow with a Run-As user (App Manager → Edit → OAuth Policies). ${LOGIN_HISTORY}`,
		};
	}
	const sandboxHint =
		context.host.kind === 'generic-production'
			? " A sandbox user must log in through test.salesforce.com or the sandbox's own My Domain host."
			: '';
	return {
		reason: 'authentication-failure',
		message: 'Salesforce refused the username and password (authentication failure).',
		fix:
			"Check the Username and Password; if n8n's IP is not a trusted range for the user, fill in the Security Token " +
			'(the deprecated node has no such field: append the token to its Password; the token changes at every password reset: Settings → Reset My Security Token). Also check the user is not locked out, ' +
			'and that the org allows this flow (Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows; ' +
			`orgs created since Summer '23 block it by default).${sandboxHint} ${LOGIN_HISTORY}`,
	};
}

function explainInvalidGrant(description: string, context: Context): Explanation {
	const text = description.toLowerCase();
	if (context.flow === 'jwtBearer') {
		const jwt = explainJwtGrant(text, context);
		if (jwt) return jwt;
	}
	if (text.includes('ip restricted') || text.includes('login hours')) {
		return {
			reason: 'ip-restricted',
			message: "Salesforce refused the login: IP restricted or outside the user's login hours.",
			fix: `Add n8n's outgoing IP to the user's profile Login IP Ranges (Setup → Profiles → the profile → Login IP Ranges), or adjust its Login Hours. ${LOGIN_HISTORY}`,
		};
	}
	if (text.includes('rate exceeded')) {
		return {
			reason: 'login-rate-exceeded',
			message:
				'Salesforce refused the login: login rate exceeded (over 3,600 logins for this user in the last hour).',
			fix: `Salesforce counts logins per user per rolling hour and the limit cannot be raised. The Salesforce nodes do not send these details again for ${RATE_LIMIT_COOLDOWN_MS / 60_000} minutes; run again after that. Make sure other tools using the same user reuse their sessions.`,
		};
	}
	if (text.includes('not supported on this domain')) {
		return {
			reason: 'client-credentials-on-generic-host',
			message: `Salesforce refused the login: the Client Credentials flow is not supported on ${context.host.hostname}.`,
			fix: 'Enter the org\'s own My Domain host in the Domain field (Setup → My Domain), e.g. "acme.my.salesforce.com".',
		};
	}
	if (text.includes('no client credentials user')) {
		return {
			reason: 'no-run-as-user',
			message:
				'Salesforce refused the login: the connected app has no Client Credentials Run-As user.',
			fix: 'In Salesforce: App Manager → your connected app → Manage → Edit Policies → Client Credentials Flow → Run As: pick the integration user.',
		};
	}
	return authenticationFailure(context);
}

const FLOW_NAMES: Record<AuthFlow, string> = {
	password: 'Username-Password',
	clientCredentials: 'Client Credentials',
	jwtBearer: 'JWT Bearer',
};

const UNSUPPORTED_GRANT_FIXES: Record<AuthFlow, string> = {
	password:
		'Allow it under Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows, or switch this credential to Client Credentials or JWT Bearer (the username-password flow is retired on 20 Feb 2027).',
	clientCredentials:
		'Enable "Enable Client Credentials Flow" in the connected app\'s OAuth settings and choose a Run-As user.',
	jwtBearer:
		'Enable OAuth with "Use digital signatures" and the certificate in the connected app (External Client App: "Enable JWT Bearer Flow"), and check the Domain is the org\'s.',
};

/** Salesforce's documented OAuth errors (see the README's troubleshooting table). */
export function explainOAuthError(
	body: OAuthErrorBody,
	status: number,
	context: Context,
): SalesforceAuthError {
	const description = typeof body.error_description === 'string' ? body.error_description : '';
	let explanation: Explanation;
	switch (body.error) {
		case 'invalid_grant':
			explanation = explainInvalidGrant(description, context);
			break;
		case 'invalid_client_id':
			explanation = {
				reason: 'invalid-client-id',
				message: 'Salesforce does not know this Consumer Key (client identifier invalid).',
				fix:
					context.flow === 'jwtBearer'
						? 'Copy the Consumer Key again from the app the certificate is uploaded to (App Manager → View → Manage Consumer Details). A new app takes 2–10 minutes to become usable.'
						: 'Copy the Consumer Key again from the connected app (App Manager → View → Manage Consumer Details). A new connected app takes 2–10 minutes to become usable.',
			};
			break;
		case 'invalid_client':
			explanation = {
				reason: 'invalid-client-secret',
				message: 'Salesforce refused the Consumer Secret (invalid client credentials).',
				fix: 'Copy the Consumer Secret again from the connected app (App Manager → View → Manage Consumer Details).',
			};
			break;
		case 'unsupported_grant_type':
			explanation = {
				reason: 'unsupported-grant-type',
				message: `Salesforce refused the ${FLOW_NAMES[context.flow]} flow for this connected app (unsupported grant type).`,
				fix: UNSUPPORTED_GRANT_FIXES[context.flow],
			};
			break;
		case 'inactive_user':
			explanation = {
				reason: 'inactive-user',
				message: 'Salesforce refused the login: the API user is deactivated.',
				fix: 'Reactivate the user (Setup → Users) or use another active integration user.',
			};
			break;
		case 'inactive_org':
			explanation = {
				reason: 'inactive-org',
				message: 'Salesforce refused the login: the org is locked, closed or suspended.',
				fix: "Check the org's status with your Salesforce administrator; a Developer Edition org expires after long inactivity, and a refreshed sandbox may have a new name.",
			};
			break;
		case 'invalid_app_access':
			explanation = {
				reason: 'app-access',
				message: 'Salesforce refused the login: the user is not allowed to use this connected app.',
				fix: 'In the connected app\'s Manage page, add the user\'s profile or a permission set under Profiles / Permission Sets, or set Permitted Users to "All users may self-authorize".',
			};
			break;
		default:
			explanation = {
				reason: 'oauth-error',
				message: `Salesforce refused the login (${body.error}${description ? `: ${description}` : ''}).`,
				fix: `See Salesforce's OAuth error reference for "${body.error}". ${LOGIN_HISTORY}`,
			};
	}
	return new SalesforceAuthError(explanation.reason, explanation.message, explanation.fix, {
		salesforceError: body.error,
		httpStatus: status,
	});
}

const DNS_FIX =
	'Check the Domain field: a wrong or outdated My Domain is the usual cause — e.g. "xyz.my.salesforce.com" ' +
	'where the org is "xyz.develop.my.salesforce.com" (Developer Edition), or a sandbox renamed by a refresh. ' +
	'Setup → My Domain shows the current one.';

const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_UNTRUSTED',
	'EPROTO',
]);

/** A failure below HTTP: no answer, wrong DNS, broken TLS. `code` is Node's / axios' error code. */
export function explainTransportFailure(
	code: string | undefined,
	context: { host: SalesforceHost; timeoutSeconds: number },
): SalesforceAuthError {
	const where = context.host.hostname;
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
		return new SalesforceAuthError(
			'timeout',
			`Salesforce did not answer within ${context.timeoutSeconds} seconds (${where}).`,
			'Salesforce may be slow or unreachable from n8n. Check the Domain, any proxy or firewall between n8n and Salesforce, and status.salesforce.com; raise Timeout (Seconds) if your network is slow.',
		);
	}
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return new SalesforceAuthError('dns', `The host ${where} could not be found (DNS).`, DNS_FIX);
	}
	if (code === 'ECONNREFUSED') {
		return new SalesforceAuthError(
			'connection-refused',
			`${where} refused the connection.`,
			'Check the Domain field and any proxy or firewall between n8n and Salesforce.',
		);
	}
	if (
		code === 'ECONNRESET' ||
		code === 'EPIPE' ||
		code === 'ERR_STREAM_PREMATURE_CLOSE' ||
		code === 'ECONNRESETBYPEER'
	) {
		return new SalesforceAuthError(
			'connection-reset',
			`The connection to ${where} was reset before Salesforce answered.`,
			'Usually a passing network fault; run again. If it persists, check any proxy or firewall between n8n and Salesforce.',
		);
	}
	if (
		code !== undefined &&
		(TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.includes('CERT'))
	) {
		return new SalesforceAuthError(
			'tls',
			`The TLS certificate of ${where} is not trusted (${code}).`,
			"n8n refuses untrusted certificates so credentials cannot be intercepted. Usually a proxy that inspects TLS sits between n8n and Salesforce: give n8n its CA certificate (NODE_EXTRA_CA_CERTS=/path/ca.pem in n8n's environment). Also check the Domain field.",
		);
	}
	return new SalesforceAuthError(
		'network',
		`Could not reach ${where}${code ? ` (${code})` : ''}.`,
		"Check the Domain field and n8n's network access to Salesforce.",
	);
}
