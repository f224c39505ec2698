import { SalesforceAuthError } from '../../../nodes/salesforce';

describe('SalesforceAuthError', () => {
	it('tells an outage (no answer, a 5xx: nothing refused) from a refusal', () => {
		for (const reason of [
			'timeout',
			'dns',
			'connection-refused',
			'connection-reset',
			'network',
			'server-error',
		] as const) {
			expect(new SalesforceAuthError(reason, 'm', 'd').isOutage).toBe(true);
		}
		for (const reason of [
			'authentication-failure',
			'cooling-down',
			'login-rate-exceeded',
			'invalid-input',
			'tls',
			'redirect',
			'bad-response',
		] as const) {
			expect(new SalesforceAuthError(reason, 'm', 'd').isOutage).toBe(false);
		}
	});
});
