/** The one walk down an error's cause chain, and the one capitalising helper. */
import { capitalise, findInCauses } from '../../../nodes/salesforce';

describe('findInCauses', () => {
	const code = (link: object) => (link as { code?: string }).code;

	it('asks the error first, then each cause in turn', () => {
		const inner = { code: 'ECONNRESET' };
		expect(findInCauses({ cause: { cause: inner } }, code)).toBe('ECONNRESET');
		expect(findInCauses({ code: 'OUTER', cause: inner }, code)).toBe('OUTER');
	});

	it('stops at what is not an object, and finds nothing there', () => {
		expect(findInCauses(undefined, code)).toBeUndefined();
		expect(findInCauses('ECONNRESET', code)).toBeUndefined();
		expect(findInCauses({ cause: 'ECONNRESET' }, code)).toBeUndefined();
	});

	it('ends on a chain that loops back on itself', () => {
		const looped: { cause?: unknown } = {};
		looped.cause = { cause: looped };
		expect(findInCauses(looped, code)).toBeUndefined();
	});

	it('looks eight links deep', () => {
		let chain: object = { code: 'DEEP' };
		for (let depth = 0; depth < 7; depth++) chain = { cause: chain };
		expect(findInCauses(chain, code)).toBe('DEEP');
		expect(findInCauses({ cause: chain }, code)).toBeUndefined();
	});
});

describe('capitalise', () => {
	it.each([
		['creating Account records', 'Creating Account records'],
		['Running', 'Running'],
		['', ''],
		['élan', 'Élan'],
	])('%j → %j', (text, capitalised) => expect(capitalise(text)).toBe(capitalised));
});
