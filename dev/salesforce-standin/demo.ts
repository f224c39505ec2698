import type { DemoCredentials, StandinApp, StandinUser } from './types';
import { labelSlug, seededChars } from './ids';

/**
 * Special characters on purpose: space, `$`, `#`, `&`, `+`, `%`, `=`, `?`, `/`, and non-ASCII.
 * Every consumer that sends it must form-encode it correctly or the login fails.
 */
export const DEMO_PASSWORD = 'Pa$$ #42&+%=?/ é漢';

/**
 * Demo credentials are derived from the label, so they are the same on every start (a credential
 * saved in n8n keeps working) but differ between orgs with different labels.
 */
export function demoCredentials(label: string): DemoCredentials {
	const slug = (labelSlug(label) || 'demo').toLowerCase();
	return {
		consumerKey: `3MVG9${seededChars(`consumerKey:${label}`, 80, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._')}`,
		consumerSecret: seededChars(`consumerSecret:${label}`, 64, '0123456789ABCDEF'),
		username: `integration.user@${slug}.standin.example`,
		password: DEMO_PASSWORD,
		securityToken: seededChars(`securityToken:${label}`, 25),
	};
}

export function demoUser(demo: DemoCredentials): StandinUser {
	return { username: demo.username, password: demo.password, securityToken: demo.securityToken };
}

/** The demo app allows both flows; its Run-As user is the first user of the org. */
export function demoApp(demo: DemoCredentials, runAs: string | undefined): StandinApp {
	return {
		consumerKey: demo.consumerKey,
		consumerSecret: demo.consumerSecret,
		passwordFlow: true,
		clientCredentialsRunAs: runAs,
	};
}
