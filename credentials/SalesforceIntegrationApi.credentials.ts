import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { N8N_RETRY_POLICY, sendThroughN8n } from '../nodes/client';
import { handToN8n } from '../nodes/n8n';
import {
	DEFAULT_TIMEOUT_SECONDS,
	LOGIN_REFUSAL_FIELD,
	loginGuard,
	obtainSession,
	refusalInForce,
	SalesforceAuthError,
	SESSION_KEY_FIELD,
	sessionKeyFor,
	storedSessionAccepted,
	storedSessionIssuedFor,
	toStoredFields,
} from '../nodes/salesforce';

const passwordFlowOnly = { show: { authFlow: ['password'] } };
const jwtBearerOnly = { show: { authFlow: ['jwtBearer'] } };
/** Every flow with a consumer secret: all but JWT Bearer. */
const flowsWithSecret = { show: { authFlow: ['password', 'clientCredentials'] } };
/** Every flow that logs in as a named user. */
const flowsWithUser = { show: { authFlow: ['password', 'jwtBearer'] } };

const MOVING_ON =
	'https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration/blob/main/docs/credential.md#moving-to-client-credentials-or-jwt-bearer';

// n8n hands the same credentials object to preAuthentication and authenticate within one request,
// so these remember what happened to it. None holds a secret beyond the object n8n already holds.

/** The login failure of each credentials object n8n handed to preAuthentication (see there). */
const failedLogins = new WeakMap<ICredentialDataDecryptedObject, unknown>();
/** Objects the Test button is testing that still need their own login (see authenticate). */
const testsAwaitingLogin = new WeakSet<ICredentialDataDecryptedObject>();
/** Objects that received a session from a login sent for them (not a stored or remembered one). */
const freshlyLoggedIn = new WeakSet<ICredentialDataDecryptedObject>();

/** Marks the Test button's request, so authenticate can tell it from any other. Never sent on. */
const CREDENTIAL_TEST_HEADER = 'x-salesforce-integration-credential-test';

/**
 * Thrown by authenticate instead of sending a stored session that must not be used. It carries the
 * status of an ended session (401) because that is what makes n8n-core run preAuthentication again
 * (as "expired") and then retry the request once, authenticated with the session it returns. So
 * the request goes out once, with a session for the credential's current details.
 */
class LoginNeededFirst extends Error {
	readonly response = { status: 401 };

	constructor(why: string) {
		super(`${why} A new login is needed before this request.`);
		this.name = 'LoginNeededFirst';
	}
}

/** refusalInForce, or undefined when the details are not even valid (the login says what is wrong). */
function refusalStillInForce(
	credentials: ICredentialDataDecryptedObject,
): SalesforceAuthError | undefined {
	try {
		return refusalInForce(credentials);
	} catch {
		return undefined;
	}
}

function withoutHeader(
	headers: IDataObject | undefined,
	name: string,
): { headers: IDataObject; had: boolean } {
	const rest: IDataObject = {};
	let had = false;
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) had = true;
		else rest[key] = value;
	}
	return { headers: rest, had };
}

/**
 * One Salesforce environment ("Production Env", "UAT Env"): the connected app, the org's domain and
 * the API user. It fetches the session itself (preAuthentication), and n8n keeps the session in the
 * hidden, expirable `accessToken` of the stored credential, so every execution and worker reuses it
 * until Salesforce ends it; then n8n asks this credential for a new one.
 */
export class SalesforceIntegrationApi implements ICredentialType {
	name = 'salesforceIntegrationApi';

	displayName = 'Salesforce Integration API';

	icon: Icon = { light: 'file:../icons/salesforce.svg', dark: 'file:../icons/salesforce.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-salesforce-integration/n8n-nodes-salesforce-integration/blob/main/docs/credential.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication Flow',
			name: 'authFlow',
			type: 'options',
			options: [
				{
					name: 'Username-Password',
					value: 'password',
					description: "Consumer key and secret plus the API user's username and password",
				},
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description: 'Consumer key and secret only; the connected app runs as its Run-As user',
				},
				{
					name: 'JWT Bearer',
					value: 'jwtBearer',
					description:
						"Consumer key, the API user's username and the private key of the certificate uploaded to the app; no secret, no password",
				},
			],
			default: 'password',
		},
		{
			displayName: `Salesforce retires the Username-Password flow on 20 Feb 2027, and orgs created since Summer '23 block it by default. Plan a move to Client Credentials or JWT Bearer: <a href="${MOVING_ON}" target="_blank">how</a>.`,
			name: 'flowRetirementNotice',
			type: 'notice',
			default: '',
			displayOptions: passwordFlowOnly,
		},
		{
			displayName: 'Domain',
			name: 'domain',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'acme.my.salesforce.com',
			description:
				'Your org\'s My Domain (Setup → My Domain), e.g. "acme.my.salesforce.com", a sandbox "acme--uat.sandbox.my.salesforce.com", or "acme.develop.my.salesforce.com" for Developer Edition. "login.salesforce.com" and "test.salesforce.com" (sandboxes) work for Username-Password, and for JWT Bearer with a matching Audience. DNS errors usually mean an outdated domain.',
		},
		{
			displayName: 'Consumer Key',
			name: 'consumerKey',
			type: 'string',
			default: '',
			required: true,
			description: 'From the connected app: App Manager → View → Manage Consumer Details',
		},
		{
			displayName: 'Consumer Secret',
			name: 'consumerSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'From the connected app: App Manager → View → Manage Consumer Details',
			displayOptions: flowsWithSecret,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'api.user@acme.com',
			description: 'The Salesforce username of the API user',
			displayOptions: flowsWithUser,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Exactly as you type it into Salesforce; special characters such as # & + % need no encoding',
			displayOptions: passwordFlowOnly,
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Needed when n8n's IP is not in the org's trusted IP ranges; it is appended to the password. Salesforce emails a new one on Settings → Reset My Security Token.",
			displayOptions: passwordFlowOnly,
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 5 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description:
				'The private key (PEM, PKCS#8 or PKCS#1, e.g. server.key) of the certificate uploaded to the connected app or External Client App. It signs each login and is never sent.',
			displayOptions: jwtBearerOnly,
		},
		{
			displayName: 'Private Key Passphrase',
			name: 'passphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key ("-----BEGIN ENCRYPTED PRIVATE KEY-----")',
			displayOptions: jwtBearerOnly,
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'options',
			options: [
				{
					name: 'My Domain (Recommended)',
					value: 'myDomain',
					description:
						"The org's My Domain URL: the only audience External Client Apps accept since Spring '26",
				},
				{
					name: 'login.salesforce.com',
					value: 'login',
					description: 'For an older connected app in a production or Developer Edition org',
				},
				{
					name: 'test.salesforce.com',
					value: 'test',
					description: 'For an older connected app in a sandbox',
				},
			],
			default: 'myDomain',
			description: 'The "aud" of the signed assertion',
			displayOptions: jwtBearerOnly,
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description: 'How long to wait for Salesforce to answer a login',
		},
		// Filled by preAuthentication and stored by n8n; `expirable` makes n8n refresh them after a 401.
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{ displayName: 'Instance URL', name: 'instanceUrl', type: 'hidden', default: '' },
		{ displayName: 'Identity URL', name: 'identityUrl', type: 'hidden', default: '' },
		{ displayName: 'Issued At', name: 'issuedAt', type: 'hidden', default: '' },
		// Which login details issued the stored session (a one-way hash): an edited credential never
		// keeps a session of its old details.
		{
			displayName: 'Session Key',
			name: SESSION_KEY_FIELD,
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		// The last refusal of these details (their hash, Salesforce's texts, when, and until when they
		// are not sent again), so every process sharing the credential store holds them back: in queue
		// mode each worker would otherwise send refused details once per cool-down of its own.
		{
			displayName: 'Login Refusal',
			name: LOGIN_REFUSAL_FIELD,
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		// n8n-core's request helper (the HTTP Request node's path) calls this a second time, with the
		// same credentials object, when the first call failed: answer with the same failure instead of
		// sending refused details to Salesforce again (or waiting out a second timeout).
		const failed = failedLogins.get(credentials);
		if (failed) throw handToN8n(failed);
		const send = sendThroughN8n(async (options) => await this.helpers.httpRequest(options));
		const testing = testsAwaitingLogin.has(credentials);
		// n8n also calls this after a request failed for any other reason than an ended session. No
		// access token in the answer tells n8n to keep the stored session, so it reports that failure
		// instead of logging in and sending the request again. (Never for a test: it proves the details.)
		if (!testing && (await storedSessionAccepted(credentials, send))) return {};
		// Salesforce refused these very details recently — in this process or in any other (the
		// refusal is stored in the credential): send nothing; authenticate reports the cool-down.
		if (!testing && refusalInForce(credentials)) return {};
		try {
			const { session, fromMemory } = await obtainSession(credentials, send, {
				staleAccessToken:
					typeof credentials.accessToken === 'string' ? credentials.accessToken : undefined,
				staleIssuedAt: typeof credentials.issuedAt === 'string' ? credentials.issuedAt : undefined,
				retry: N8N_RETRY_POLICY,
				fresh: testing,
			});
			if (!fromMemory) freshlyLoggedIn.add(credentials);
			return {
				...toStoredFields(session),
				[SESSION_KEY_FIELD]: sessionKeyFor(credentials),
				[LOGIN_REFUSAL_FIELD]: '',
			};
		} catch (error) {
			failedLogins.set(credentials, error);
			const refusal =
				error instanceof SalesforceAuthError && error.isAuthenticationFailure
					? loginGuard.refusalToStore(sessionKeyFor(credentials))
					: undefined;
			// Returned, not thrown: n8n stores what preAuthentication returns when it holds the
			// expirable accessToken (here emptied, beside the refusal), so every worker and every
			// `n8n execute` finds the refusal in the database. authenticate then reports it.
			if (refusal)
				return {
					accessToken: '',
					[SESSION_KEY_FIELD]: '',
					[LOGIN_REFUSAL_FIELD]: JSON.stringify(refusal),
				};
			// n8n 1.x drops it from the NodeApiError it wraps it in: remembered, the node still explains it.
			throw handToN8n(error);
		}
	}

	/**
	 * Runs before every request made with the credential. A function rather than a declarative
	 * expression: it needs no expression engine, and it only sets the base URL when the request has
	 * none, so absolute URLs (HTTP Request node) are left alone.
	 *
	 * n8n runs preAuthentication only while the stored session is empty or after a 401, so this is
	 * the one place that sees every request — and refuses to send a session that must not be used:
	 * - one issued for other login details: the credential was edited since (repointed at another
	 *   org, or given another user or password), and the old session must never reach the new
	 *   instance, nor hide that the new details fail;
	 * - any session but one logged in for this very test, on the Test button's request: a test
	 *   proves the details as typed, never an old session.
	 * Refusing with a 401 makes n8n log in through preAuthentication and send the request once.
	 * A refusal of the login details is reported instead (not as a 401, so n8n does not try again):
	 * the one preAuthentication just got for this request, as Salesforce worded it, or one still in
	 * force from earlier (in any process) as a cool-down saying until when.
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const { headers, had: isTest } = withoutHeader(requestOptions.headers, CREDENTIAL_TEST_HEADER);
		const refused = failedLogins.get(credentials);
		if (refused) throw handToN8n(refused);
		if (isTest && !freshlyLoggedIn.has(credentials)) {
			testsAwaitingLogin.add(credentials);
			throw new LoginNeededFirst('The credential test logs in with the details as entered.');
		}
		if (!storedSessionIssuedFor(credentials)) {
			const coolingDown = isTest ? undefined : refusalStillInForce(credentials);
			if (coolingDown) throw handToN8n(coolingDown);
			throw new LoginNeededFirst(
				"The stored Salesforce session was not issued for the credential's current login details.",
			);
		}
		return {
			...requestOptions,
			baseURL: requestOptions.baseURL || (credentials.instanceUrl as string),
			headers: { ...headers, Authorization: `Bearer ${credentials.accessToken as string}` },
		};
	};

	// The Test button (and Save) logs in afresh with the details as entered — authenticate makes sure
	// of it, whatever session is stored — then proves the new session works.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/services/oauth2/userinfo',
			headers: { [CREDENTIAL_TEST_HEADER]: 'true' },
		},
	};
}
