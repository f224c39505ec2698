import fc from 'fast-check';
import {
	dateHeaderTime,
	parseSalesforceDateTime,
	readableUtc,
	SalesforceClock,
} from '../../../../nodes/salesforce';
import {
	ceilToMinute,
	floorToMinute,
	floorToSecond,
	replicationDateTime,
	sameSecond,
} from '../../../../nodes/salesforce/changes/salesforceTime';

const AT = Date.UTC(2026, 11, 4, 10, 0, 7);

describe("parseSalesforceDateTime reads Salesforce's datetimes and ISO 8601", () => {
	it.each<[unknown, number | undefined]>([
		['2026-12-04T10:00:07.000+0000', AT],
		['2026-12-04T10:00:07Z', AT],
		['2026-12-04T10:00:07.250Z', AT + 250],
		['2026-12-04T10:00:07.5Z', AT + 500],
		['2026-12-04T10:00:07.123456789Z', AT + 123],
		['2026-12-04T11:00:07+01:00', AT],
		['2026-12-04T02:00:07.000-0800', AT],
		[' 2026-12-04T10:00:07.000+0000 ', AT],
		['2026-12-04T10:00:07', undefined],
		['2026-12-04 10:00:07Z', undefined],
		['2026-02-30T10:00:07Z', undefined],
		['2026-12-04T24:00:00Z', undefined],
		['2026-12-04T10:60:00Z', undefined],
		['Fri, 04 Dec 2026 10:00:07 GMT', undefined],
		[AT, undefined],
		[undefined, undefined],
	])('%j → %s', (text, instant) => {
		expect(parseSalesforceDateTime(text)).toBe(instant);
	});

	it('reads back every instant Salesforce can write (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
				(instant) => {
					expect(
						parseSalesforceDateTime(new Date(instant).toISOString().replace('Z', '+0000')),
					).toBe(instant);
				},
			),
		);
	});
});

describe('seconds and minutes, as Salesforce stores and windows them', () => {
	it('floors and ceils', () => {
		expect(floorToSecond(AT + 999)).toBe(AT);
		expect(floorToMinute(AT)).toBe(AT - 7000);
		expect(ceilToMinute(AT)).toBe(AT + 53_000);
		expect(ceilToMinute(AT - 7000)).toBe(AT - 7000);
	});

	it('compares to the second', () => {
		expect(sameSecond(AT, AT + 999)).toBe(true);
		expect(sameSecond(AT, AT + 1000)).toBe(false);
		expect(sameSecond(AT - 1, AT)).toBe(false);
	});

	it("writes a replication window bound to the minute, as the REST guide's example does", () => {
		expect(replicationDateTime(AT)).toBe('2026-12-04T10:00:00+00:00');
	});

	it('writes instants for people in UTC', () => {
		expect(readableUtc(AT + 999)).toBe('2026-12-04 10:00:07 UTC');
	});
});

describe('dateHeaderTime reads the HTTP Date header', () => {
	it.each<[unknown, number | undefined]>([
		['Fri, 04 Dec 2026 10:00:07 GMT', AT],
		[['Fri, 04 Dec 2026 10:00:07 GMT'], AT],
		['2026-12-04T10:00:07Z', undefined],
		['Fri, 04 Dec 2026 10:00:07 +0100', undefined],
		['yesterday GMT', undefined],
		[undefined, undefined],
	])('%j → %s', (header, instant) => {
		expect(dateHeaderTime(header)).toBe(instant);
	});
});

describe("SalesforceClock estimates Salesforce's now from its answers", () => {
	it('knows nothing before an answer, then follows the offset it saw, per org', () => {
		const clock = new SalesforceClock();
		expect(clock.now('org', 1_000)).toBeUndefined();
		// Salesforce is 10 minutes ahead of this machine.
		clock.observe('org', new Date(AT).toUTCString(), AT - 600_000);
		expect(clock.now('org', AT - 600_000 + 5_000)).toBe(AT + 5_000);
		expect(clock.now('other org', AT)).toBeUndefined();
		clock.observe('org', 'no date', AT);
		expect(clock.now('org', AT - 600_000)).toBe(AT);
		clock.forget('org');
		expect(clock.now('org', AT)).toBeUndefined();
	});

	it('never runs ahead of Salesforce: the header is floored to the second and written before the answer arrives (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 10_000_000 }),
				fc.integer({ min: -3_600_000, max: 3_600_000 }),
				fc.integer({ min: 0, max: 2_000 }),
				fc.integer({ min: 0, max: 600_000 }),
				(at, skew, latency, later) => {
					const salesforceAt = AT + at;
					const clock = new SalesforceClock();
					clock.observe('org', new Date(salesforceAt).toUTCString(), salesforceAt + latency + skew);
					const estimate = clock.now('org', salesforceAt + later + skew) as number;
					expect(estimate).toBeLessThanOrEqual(salesforceAt + later);
					expect(estimate).toBeGreaterThan(salesforceAt + later - 1000 - latency);
				},
			),
		);
	});
});
