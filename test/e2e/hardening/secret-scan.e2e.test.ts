/**
 * The secret scan the hardening suite relies on must itself find what it is meant to find: planted
 * secrets in every spelling, and tokens anywhere but a mapped output field. (No n8n needed.)
 */
import { DEMO_PASSWORD } from '../../../dev/salesforce-standin';
import {
	findLeaks,
	spellingsOf,
	tokenInsideLongerStrings,
	tokenPlacesOutsideMappedFields,
} from '../support/secret-scan';
import { unflatten } from '../../../dev/n8n/saved-executions';

// The stand-in's demo password plus a quote and a backslash, which JSON escapes.
const password = { label: 'password', value: `${DEMO_PASSWORD} "q" \\` };
const token = {
	label: 'access token #1',
	value: '00D5g0000012345AAA!AQ0AQH.fake_session_id_for_the_scan_test',
};

/** n8n's flatted encoding of a small value, written by hand: every string is its own element. */
function flatted(root: Record<string, unknown>): string {
	const table: unknown[] = [];
	const add = (value: unknown): string => {
		if (typeof value === 'string') {
			table.push(value);
			return String(table.length - 1);
		}
		const index = table.length;
		table.push(null);
		const copy: Record<string, unknown> = Array.isArray(value)
			? ([] as unknown as Record<string, unknown>)
			: {};
		for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
			copy[key] =
				typeof child === 'number' || typeof child === 'boolean' || child === null
					? child
					: add(child);
		}
		table[index] = copy;
		return String(index);
	};
	add(root);
	return JSON.stringify(table);
}

function execution(
	json: Record<string, unknown>,
	extra: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		resultData: { runData: { 'Salesforce Action': [{ data: { main: [[{ json }]] } }] }, ...extra },
	};
}

describe('the secret scan', () => {
	it('finds a secret raw, URL-encoded, form-encoded, JSON-escaped and base64-encoded', () => {
		for (const { form, text } of spellingsOf(password.value)) {
			expect({
				form,
				leaks: findLeaks([{ label: 'log', text: `...${text}...` }], [password]),
			}).toEqual({ form, leaks: [`password (${form}) in log`] });
		}
		expect(spellingsOf(password.value).map((spelling) => spelling.form)).toEqual([
			'raw',
			'url-encoded',
			'form-encoded',
			'JSON-escaped',
			'JSON-escaped ASCII',
			'base64',
		]);
		expect(findLeaks([{ label: 'log', text: 'nothing to see' }], [password])).toEqual([]);
	});

	it('allows a token only as the whole value of a mapped output field', () => {
		expect(
			tokenPlacesOutsideMappedFields(
				execution({ SF_ACCESS_TOKEN: token.value }),
				[token],
				['SF_ACCESS_TOKEN'],
			),
		).toEqual([]);
		// Not mapped by this workflow:
		expect(
			tokenPlacesOutsideMappedFields(execution({ SF_ACCESS_TOKEN: token.value }), [token], []),
		).toHaveLength(1);
		// Inside a longer value, or outside the items:
		expect(
			tokenPlacesOutsideMappedFields(
				execution({ SF_ACCESS_TOKEN: `Bearer ${token.value}` }),
				[token],
				['SF_ACCESS_TOKEN'],
			),
		).toHaveLength(1);
		expect(
			tokenPlacesOutsideMappedFields(
				execution(
					{},
					{
						error: {
							context: { request: { headers: { authorization: `Bearer ${token.value}` } } },
						},
					},
				),
				[token],
				['SF_ACCESS_TOKEN'],
			),
		).toEqual(['access token #1 at resultData.error.context.request.headers.authorization']);
	});

	it("reads n8n's flatted storage: a token inside a longer string is found, a whole mapped value is not", () => {
		const clean = flatted(execution({ SF_ACCESS_TOKEN: token.value }));
		expect(unflatten(clean)).toEqual(execution({ SF_ACCESS_TOKEN: token.value }));
		expect(tokenInsideLongerStrings(clean, [token])).toEqual([]);
		const leaky = flatted(
			execution({ SF_ACCESS_TOKEN: token.value }, { error: { message: `401 for ${token.value}` } }),
		);
		expect(tokenInsideLongerStrings(leaky, [token])).toEqual([
			'access token #1 inside a longer string',
		]);
	});
});
