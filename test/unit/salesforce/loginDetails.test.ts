import { readLoginDetails, SalesforceAuthError } from '../../../nodes/salesforce';

const valid = {
	authFlow: 'password',
	domain: 'acme.my.salesforce.com',
	consumerKey: '3MVG9key',
	consumerSecret: 'secret-value',
	username: 'api.user@acme.com',
	password: ' pa ss#& ',
	securityToken: 'TOKEN123',
	timeout: 10,
};

function refusal(fields: Record<string, unknown>): SalesforceAuthError {
	try {
		readLoginDetails(fields);
	} catch (error) {
		if (error instanceof SalesforceAuthError) return error;
		throw error;
	}
	throw new Error('expected the details to be refused');
}

describe('readLoginDetails', () => {
	it('keeps the password exactly as typed and appends the security token', () => {
		const details = readLoginDetails(valid);
		expect(details.passwordWithToken).toBe(' pa ss#& TOKEN123');
		expect(details.host.origin).toBe('https://acme.my.salesforce.com');
		expect(details.timeoutSeconds).toBe(10);
	});

	it('defaults to the username-password flow and a 10 second timeout, as the product page promised', () => {
		const details = readLoginDetails({ ...valid, authFlow: undefined, timeout: undefined });
		expect(details.flow).toBe('password');
		expect(details.timeoutSeconds).toBe(10);
	});

	it('needs no username or password for client credentials', () => {
		const details = readLoginDetails({
			...valid,
			authFlow: 'clientCredentials',
			username: '',
			password: '',
		});
		expect(details.flow).toBe('clientCredentials');
		expect(details.passwordWithToken).toBe('');
	});

	it('refuses client credentials on the generic login hosts before sending anything', () => {
		const error = refusal({
			...valid,
			authFlow: 'clientCredentials',
			domain: 'login.salesforce.com',
		});
		expect(error.reason).toBe('client-credentials-on-generic-host');
		expect(error.description).toMatch(/My Domain/);
	});

	it.each([
		[{ consumerKey: '' }, /^Consumer Key: is empty/],
		[{ consumerKey: ' 3MVG9key' }, /^Consumer Key: starts or ends with a space/],
		[{ consumerSecret: 'x\n' }, /^Consumer Secret: contains a line break/],
		[{ username: '' }, /^Username: is empty/],
		[{ username: 'api.user' }, /^Username: is not a Salesforce username/],
		[{ username: 'api.user@acme.com ' }, /^Username: starts or ends with a space/],
		[{ password: '' }, /^Password: is empty/],
		[{ password: 'abc\u0000' }, /^Password: contains a line break or another control character/],
		[{ securityToken: 'tok\r\n' }, /^Security Token: contains a line break/],
		[{ consumerKey: 'k'.repeat(1001) }, /^Consumer Key: is 1001 characters long/],
		[{ timeout: 0 }, /^Timeout \(Seconds\): must be a number/],
		[{ timeout: 'soon' }, /^Timeout \(Seconds\): must be a number/],
		[{ authFlow: 'jwt' }, /^Authentication Flow: "jwt" is not a known flow/],
		[{ domain: 'evil.test' }, /^Domain: /],
	])('refuses %j naming the field', (change, message) => {
		const error = refusal({ ...valid, ...change });
		expect(error.reason).toBe('invalid-input');
		expect(error.message).toMatch(message);
		expect(error.description.length).toBeGreaterThan(10);
	});

	it('never repeats a secret in its messages', () => {
		const secrets = {
			consumerSecret: 'TopSecret\nValue',
			password: 'Hunter2\u0007',
			securityToken: ' SecTok ',
		};
		for (const [field, value] of Object.entries(secrets)) {
			const error = refusal({ ...valid, [field]: value });
			expect(`${error.message} ${error.description}`).not.toContain(value.trim().slice(0, 6));
		}
	});
});
