import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SalesforceLogin } from './demo-workflow';

/**
 * `npm start` against a real org instead of the stand-in. Either environment variables or a
 * `salesforce.local.json` in the repository root (gitignored), with the same fields:
 *
 *   SF_AUTH_FLOW        authFlow        password (default) | clientCredentials
 *   SF_DOMAIN           domain          https://yourcompany.my.salesforce.com, login.salesforce.com…
 *   SF_CONSUMER_KEY     consumerKey
 *   SF_CONSUMER_SECRET  consumerSecret
 *   SF_USERNAME         username        password flow only
 *   SF_PASSWORD         password        password flow only
 *   SF_SECURITY_TOKEN   securityToken   password flow, optional (not needed from trusted IPs)
 */
export const REAL_ORG_CONFIG_FILE = 'salesforce.local.json';

const ENVIRONMENT_VARIABLES: Record<keyof SalesforceLogin, string> = {
	authFlow: 'SF_AUTH_FLOW',
	domain: 'SF_DOMAIN',
	consumerKey: 'SF_CONSUMER_KEY',
	consumerSecret: 'SF_CONSUMER_SECRET',
	username: 'SF_USERNAME',
	password: 'SF_PASSWORD',
	securityToken: 'SF_SECURITY_TOKEN',
};

export interface RealOrg {
	login: SalesforceLogin;
	/** Where the details came from, for the messages. */
	source: string;
}

type Fields = Partial<Record<keyof SalesforceLogin, string>>;

/** A password may start or end with a space, and the credential sends it exactly as given. */
const KEPT_AS_GIVEN: ReadonlyArray<keyof SalesforceLogin> = ['password', 'securityToken'];

function cleanValue(field: keyof SalesforceLogin, value: string): string {
	return KEPT_AS_GIVEN.includes(field) ? value : value.trim();
}

function fromEnvironment(env: NodeJS.ProcessEnv): Fields | undefined {
	const fields: Fields = {};
	for (const [field, variable] of Object.entries(ENVIRONMENT_VARIABLES) as Array<
		[keyof SalesforceLogin, string]
	>) {
		const value = env[variable];
		if (value?.trim()) fields[field] = cleanValue(field, value);
	}
	return Object.keys(fields).length > 0 ? fields : undefined;
}

function fromFile(file: string): Fields {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new Error(
			`${file} must hold one object like {"domain": "...", "consumerKey": "...", ...}.`,
		);
	}
	const fields: Fields = {};
	for (const field of Object.keys(ENVIRONMENT_VARIABLES) as Array<keyof SalesforceLogin>) {
		const value = (parsed as Record<string, unknown>)[field];
		if (typeof value === 'string' && value.trim()) fields[field] = cleanValue(field, value);
	}
	return fields;
}

function validate(
	fields: Fields,
	source: string,
	name: (field: keyof SalesforceLogin) => string,
): SalesforceLogin {
	const authFlow = fields.authFlow ?? 'password';
	if (authFlow !== 'password' && authFlow !== 'clientCredentials') {
		throw new Error(
			`${name('authFlow')} in ${source} must be "password" or "clientCredentials", not "${authFlow}".`,
		);
	}
	const required: Array<keyof SalesforceLogin> = ['domain', 'consumerKey', 'consumerSecret'];
	if (authFlow === 'password') required.push('username', 'password');
	const missing = required.filter((field) => !fields[field]);
	if (missing.length > 0) {
		throw new Error(
			`Real Salesforce org details in ${source} are incomplete: missing ${missing.map(name).join(', ')} ` +
				`(needed for the ${authFlow} flow). Add them, or remove the others to use the local stand-in.`,
		);
	}
	return {
		...fields,
		authFlow,
		domain: fields.domain as string,
		consumerKey: fields.consumerKey as string,
		consumerSecret: fields.consumerSecret as string,
	};
}

/** The real org to use, or undefined for the stand-in. Environment variables win over the file. */
export function readRealOrg(
	repoRoot: string,
	env: NodeJS.ProcessEnv = process.env,
): RealOrg | undefined {
	const fromEnv = fromEnvironment(env);
	if (fromEnv) {
		return {
			login: validate(
				fromEnv,
				'the SF_* environment variables',
				(field) => ENVIRONMENT_VARIABLES[field],
			),
			source: 'SF_* environment variables',
		};
	}
	const file = join(repoRoot, REAL_ORG_CONFIG_FILE);
	if (!existsSync(file)) return undefined;
	return {
		login: validate(fromFile(file), file, (field) => `"${field}"`),
		source: REAL_ORG_CONFIG_FILE,
	};
}
