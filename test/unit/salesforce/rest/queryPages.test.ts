/** Query pages in the core: the page size and limit a query may ask for, and the next page it may follow. */
import {
	checkLimit,
	checkPageSize,
	nextPagePath,
	SalesforceRestError,
} from '../../../../nodes/salesforce';

describe('checkPageSize', () => {
	it.each([200, 500, 2000])('%p', (size) => expect(checkPageSize(size)).toBe(size));
	it.each([199, 2001, 0, 250.5, Number.NaN, '500', undefined])(
		'refuses %p naming Page Size',
		(size) => {
			expect(() => checkPageSize(size)).toThrow(
				new RegExp(`^Page Size: ${String(size)} is not a whole number from 200 to 2000$`),
			);
		},
	);
});

describe('checkLimit', () => {
	it.each([1, 50, 100000])('%p', (limit) => expect(checkLimit(limit)).toBe(limit));
	it.each([0, -1, 2.5, Number.NaN, '10'])('refuses %p naming the parameter', (limit) => {
		expect(() => checkLimit(limit, 'Max Records')).toThrow(
			new RegExp(`^Max Records: ${String(limit)} is not a positive whole number$`),
		);
	});
});

describe('nextPagePath', () => {
	it.each([
		'/services/data/v62.0/query/01gD0000002HU6KIAW-2000',
		'/services/data/v58.0/queryAll/01g_x-4000',
	])('follows %s', (url) => {
		expect(nextPagePath(url)).toBe(url);
	});

	it.each([
		'https://evil.test/services/data/v62.0/query/01g-2000',
		'//evil.test/services/data/v62.0/query/01g-2000',
		'/services/data/v62.0/sobjects/Account',
		'/services/data/v62.0/query/../../secur/frontdoor.jsp',
		'/services/data/v62.0/query/01g-2000?x=1',
		42,
		undefined,
	])('refuses %p: the session never follows it', (url) => {
		const failure = nextPagePath(url);
		expect(failure).toBeInstanceOf(SalesforceRestError);
		expect((failure as SalesforceRestError).message).toMatch(
			/pointed to a next page that is not a query page of the API/,
		);
	});
});
