/**
 * The editor's dynamic UI (methods/): the object search, field lists and the Fields mapper's schema,
 * loaded from the stand-in's describe through n8n-core's real authenticated request helper.
 *
 * n8n calls these with a LoadOptionsContext, whose getNodeParameter reads the node's current
 * (unsaved) parameters. Here they run inside a real ExecuteContext (transportProbe) with
 * getNodeParameter answering from the parameters given, as the editor would send them; the
 * requests, the credential and the session are n8n-core's own.
 */
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { listSearch, loadOptions, resourceMapping } from '../../../nodes/SalesforceAction/methods';
import { useStandin } from '../../support/fixtures';
import { runProbe } from '../../support/transportProbe';
import { asTheEditorShowsIt } from '../../support/resourceMapperView';

const standin = useStandin();

function asLoadOptions(
	context: IExecuteFunctions,
	parameters: Record<string, unknown>,
): ILoadOptionsFunctions {
	return new Proxy(context, {
		get(target, property, receiver) {
			if (property === 'getNodeParameter') {
				return (name: string, fallback?: unknown, options?: { extractValue?: boolean }) => {
					const value = parameters[name] ?? fallback;
					if (options?.extractValue && value && typeof value === 'object' && '__rl' in value)
						return (value as unknown as { value: unknown }).value;
					return value;
				};
			}
			return Reflect.get(target, property, receiver) as unknown;
		},
	}) as unknown as ILoadOptionsFunctions;
}

async function load<T>(
	parameters: Record<string, unknown>,
	method: (this: ILoadOptionsFunctions) => Promise<T>,
) {
	const sf = standin();
	const { result } = await runProbe(sf, async function () {
		return (await method.call(asLoadOptions(this, parameters))) as never;
	});
	return { result: result as T, sf };
}

const account = { __rl: true, mode: 'list', value: 'Account' };
const invoice = { __rl: true, mode: 'name', value: 'Invoice__c' };

describe('Object search (describe global)', () => {
	it("lists the org's objects, custom ones included, and filters by name or label", async () => {
		const { result } = await load({ operation: 'get' }, async function () {
			return await listSearch.searchObjects.call(this, 'inv');
		});
		expect(result.results).toEqual([
			{ name: expect.stringContaining('(Invoice__c)'), value: 'Invoice__c' },
		]);
	});

	it('offers for Create only objects the user may create', async () => {
		const { result } = await load({ operation: 'create' }, async function () {
			return await listSearch.searchObjects.call(this);
		});
		const names = result.results.map((entry) => entry.value);
		expect(names).toEqual(expect.arrayContaining(['Account', 'Contact', 'Lead', 'Invoice__c']));
		expect(names).not.toContain('User');
	});
});

describe('Field lists (describe)', () => {
	it('Get Many and Get list every field of the object', async () => {
		const { result } = await load({ sobject: account }, async function () {
			return await loadOptions.getFields.call(this);
		});
		expect(result.map((option) => option.value)).toEqual(
			expect.arrayContaining(['Id', 'Name', 'Phone', 'External_Id__c']),
		);
	});

	it('Create or Update offers only external ID fields (Collections upsert by external ID, never by record Id)', async () => {
		const { result } = await load({ sobject: invoice }, async function () {
			return await loadOptions.getExternalIdFields.call(this);
		});
		expect(result.map((option) => option.value).sort()).toEqual(['Invoice_Number__c']);
	});

	it('no object chosen yet: an empty list, and no request', async () => {
		const { result, sf } = await load(
			{ sobject: { __rl: true, mode: 'list', value: '' } },
			async function () {
				return await loadOptions.getFields.call(this);
			},
		);
		expect(result).toEqual([]);
		expect(sf.requests.filter((request) => request.path.includes('/sobjects'))).toEqual([]);
	});
});

describe('Fields mapper schema', () => {
	async function schemaOf(sobject: string, operation: string, more: Record<string, unknown> = {}) {
		const { result } = await load(
			{ sobject: { __rl: true, mode: 'name', value: sobject }, operation, ...more },
			async function () {
				return await resourceMapping.getMappingColumns.call(this);
			},
		);
		return result.fields;
	}

	it('Create: required fields shown, every other createable field addable, none unreachable, with n8n types', async () => {
		const invoice = await schemaOf('Invoice__c', 'create');
		const byId = Object.fromEntries(invoice.map((field) => [field.id, field]));
		expect(byId.Amount__c).toMatchObject({
			type: 'number',
			required: false,
			display: true,
			removed: true,
		});
		expect(byId.Paid__c).toMatchObject({ type: 'boolean' });
		expect(byId.Invoice_Number__c).toMatchObject({ type: 'string', canBeUsedToMatch: true });
		expect(byId.Id).toBeUndefined();

		const account = asTheEditorShowsIt(await schemaOf('Account', 'create'));
		expect(account.shown).toEqual(['Name']);
		expect(account.addable).toEqual(
			expect.arrayContaining([
				'Industry',
				'Phone',
				'Website',
				'Type',
				'AnnualRevenue',
				'External_Id__c',
				'ParentId',
			]),
		);
		expect(account.addable).not.toContain('CreatedDate');
		expect(account.unreachable).toEqual([]);

		const lead = asTheEditorShowsIt(await schemaOf('Lead', 'create'));
		expect(lead.shown).toEqual(['Company', 'LastName']);
		expect(lead.addable.length).toBeGreaterThan(3);
	});

	it('Update: nothing required, every updateable field addable (the mapper is never empty of choices)', async () => {
		const fields = await schemaOf('Account', 'update');
		expect(fields.some((field) => field.required)).toBe(false);
		const account = asTheEditorShowsIt(fields);
		expect(account.shown).toEqual([]);
		expect(account.addable).toEqual(
			expect.arrayContaining(['Name', 'Industry', 'Phone', 'Website']),
		);
		expect(account.unreachable).toEqual([]);
	});

	it('Create or Update: the chosen External ID Field is required (shown, not removable), every createable or updateable field addable', async () => {
		const account = asTheEditorShowsIt(
			await schemaOf('Invoice__c', 'upsert', { externalIdField: 'Invoice_Number__c' }),
		);
		expect(account.shown).toEqual(['Invoice_Number__c']);
		expect(account.addable).toEqual(
			expect.arrayContaining(['Name', 'Amount__c', 'Paid__c', 'Account__c']),
		);
		expect(account.unreachable).toEqual([]);
		// Before an External ID Field is chosen (or when it is an expression), nothing is required.
		for (const externalIdField of ['', '={{ $json.key }}']) {
			expect(
				(await schemaOf('Invoice__c', 'upsert', { externalIdField })).filter(
					(field) => field.required,
				),
			).toEqual([]);
		}
	});

	it('no object chosen: no fields, and no request', async () => {
		const { result, sf } = await load(
			{ sobject: { __rl: true, mode: 'list', value: '' }, operation: 'create' },
			async function () {
				return await resourceMapping.getMappingColumns.call(this);
			},
		);
		expect(result).toEqual({ fields: [] });
		expect(sf.requests.filter((request) => request.path.includes('/sobjects'))).toEqual([]);
	});

	it("an unknown object: Salesforce's answer translated, naming the object", async () => {
		const sf = standin();
		const { run } = await runProbe(sf, async function () {
			try {
				await resourceMapping.getMappingColumns.call(
					asLoadOptions(this, {
						sobject: { __rl: true, mode: 'name', value: 'Nope__c' },
						operation: 'create',
					}),
				);
				return 'no error' as never;
			} catch (error) {
				return `${(error as Error).message} | ${(error as { description?: string }).description}` as never;
			}
		});
		const text = String(run.output[0][0].json.result);
		expect(text).toMatch(
			/^Object: "Nope__c" is not an object this Salesforce user can see \| Check the API name/,
		);
		expect(text).not.toBe('no error');
	});
});
