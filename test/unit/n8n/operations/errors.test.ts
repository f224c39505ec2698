/**
 * Salesforce's refusals, as each operation reports them through n8n-core against the stand-in: the
 * message says what failed once (no repeated lead) and names the parameter to change for the
 * operation that ran — never another operation's.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { startSalesforceStandin, type SalesforceStandin } from '../../../../dev/salesforce-standin';
import { useStandin } from '../../../support/fixtures';
import { object, runOperation } from './support';

const standin = useStandin();

/** An 18-character Account id no record has. */
const MISSING_ACCOUNT = '001000000000000AAA';
const auto = { mappingMode: 'autoMapInputData', value: null };

interface Case {
	/** What the user did. */
	name: string;
	parameters: (sf: SalesforceStandin) => INodeParameters | Promise<INodeParameters>;
	items?: IDataObject[];
	/** The parameter the error must name (in the message or the fix). */
	names: string;
	/** Matches the message. */
	message: RegExp;
	/** Other operations' parameters the error must not send the user to. */
	notNaming?: string[];
}

const record = (operation: string, more: INodeParameters): INodeParameters => ({
	resource: 'record',
	operation,
	sobject: object('Account'),
	...more,
});

const cases: Case[] = [
	{
		name: 'Get of an Id no record has',
		parameters: () => record('get', { recordId: MISSING_ACCOUNT }),
		names: 'Record ID',
		message:
			/^Getting the Account record 001000000000000AAA failed: Record ID names no record of the Object — .* \(HTTP 404, NOT_FOUND\)\.$/,
		notNaming: ['API Request', 'Path', 'lookup'],
	},
	{
		name: 'Get of a field the object lacks',
		parameters: (sf) =>
			record('get', { recordId: liveAccount(sf), options: { fields: ['Nope__c'] } }),
		names: 'Field Names or IDs',
		message:
			/^Getting the Account record .* failed: a field in Field Names or IDs is unknown or not accessible/,
		notNaming: ['SOQL Query', 'Path'],
	},
	{
		name: 'Update of an Id no record has',
		parameters: () => record('update', { recordId: MISSING_ACCOUNT, columns: auto }),
		items: [{ Name: 'Renamed' }],
		names: 'Record ID',
		message:
			/^Updating an Account record failed: Record ID names no record of the Object — INVALID_CROSS_REFERENCE_KEY/,
		notNaming: ['lookup', 'Path'],
	},
	{
		name: 'Update of a deleted record',
		parameters: async (sf) =>
			record('update', { recordId: await deletedAccount(sf), columns: auto }),
		items: [{ Name: 'Renamed' }],
		names: 'Record ID',
		message:
			/^Updating an Account record failed: Record ID names a deleted record — ENTITY_IS_DELETED/,
	},
	{
		name: 'Delete of a deleted record',
		parameters: async (sf) => record('delete', { recordId: await deletedAccount(sf) }),
		names: 'Record ID',
		message:
			/^Deleting an Account record failed: Record ID names a deleted record — ENTITY_IS_DELETED/,
		notNaming: ['Path'],
	},
	{
		name: 'Update with a lookup to no record',
		parameters: (sf) => record('update', { recordId: liveAccount(sf), columns: auto }),
		items: [{ ParentId: MISSING_ACCOUNT }],
		names: 'Fields',
		message:
			/^Updating an Account record failed: a lookup in Fields points to a record that does not exist/,
		notNaming: ['Record ID'],
	},
	{
		name: 'Create with a field the object lacks (Salesforce refuses the whole request)',
		parameters: () => record('create', { columns: auto }),
		items: [{ Name: 'Typo', Nmae: 'x' }],
		names: 'Fields',
		message:
			/^Creating an Account record failed: a field in Fields is unknown or not accessible — [^]*\(HTTP 400, INVALID_FIELD\)\.$/,
		notNaming: ['SOQL Query', 'Path'],
	},
	{
		name: 'Create without a required field',
		parameters: () => record('create', { columns: auto }),
		items: [{ Phone: '1' }],
		names: 'Fields',
		message:
			/^Creating an Account record failed: required fields are missing — REQUIRED_FIELD_MISSING/,
	},
	{
		name: 'Get Many on a field the object lacks',
		parameters: () => record('getAll', { fields: ['Nope__c'] }),
		names: 'Field Names or IDs or Conditions',
		message:
			/^Running the SOQL query failed: a field in Field Names or IDs or Conditions is unknown or not accessible/,
		notNaming: ['SOQL Query', 'Path'],
	},
	{
		name: 'Run SOQL with a field the object lacks',
		parameters: () => ({
			resource: 'query',
			operation: 'soql',
			query: 'SELECT Nope__c FROM Account',
		}),
		names: 'SOQL Query',
		message:
			/^Running the SOQL query failed: a field in SOQL Query is unknown or not accessible at row 1, column \d+/,
		notNaming: ['Fields', 'Path'],
	},
	{
		name: 'Run SOQL on an object the org lacks',
		parameters: () => ({ resource: 'query', operation: 'soql', query: 'SELECT Id FROM Nope__c' }),
		names: 'SOQL Query',
		message: /the object in SOQL Query is unknown or not accessible/,
		notNaming: ['Record ID'],
	},
	{
		name: 'API Request to a record no one has',
		parameters: () => ({
			resource: 'apiRequest',
			operation: 'send',
			method: 'GET',
			path: `sobjects/Account/${MISSING_ACCOUNT}`,
		}),
		names: 'Path',
		message:
			/^Calling GET \/services\/data\/v62\.0\/sobjects\/Account\/001000000000000AAA failed: not found/,
		notNaming: ['Record ID'],
	},
];

/** An Account in the Recycle Bin, deleted through the API as a user would. */
async function deletedAccount(sf: SalesforceStandin): Promise<string> {
	const id = liveAccount(sf);
	await runOperation(sf, record('delete', { recordId: id }));
	return id;
}

function liveAccount(sf: SalesforceStandin): string {
	return sf.insertRecords('Account', [{ Name: 'Alive' }])[0];
}

describe('each operation names its own parameter when Salesforce refuses', () => {
	it.each(cases.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
		const sf = standin();
		const parameters = await entry.parameters(sf);
		const items = (entry.items ?? [{}]).map((json) => ({ json }));
		const result = await runOperation(sf, parameters, { items, continueOnFail: true });
		const failed = result.json.find((json) => json.error !== undefined);
		expect(failed).toBeDefined();
		const message = String(failed?.error);
		const text = `${message}\n${String(failed?.errorDescription)}`;
		expect(message).toMatch(entry.message);
		expect(text).toContain(entry.names);
		// Said once: no "X failed: … X failed:" and no code repeated inside its own explanation.
		expect(message.match(/ failed: /g)).toHaveLength(1);
		for (const other of entry.notNaming ?? []) expect(text).not.toContain(other);
	});
});

describe('an instance that cannot be reached', () => {
	it('is named in the error, so a stale one (an org that moved, a stand-in on another port) shows', async () => {
		const sf = await startSalesforceStandin({ instanceUrl: 'http://127.0.0.1:9' });
		try {
			const result = await runOperation(
				sf,
				{ resource: 'query', operation: 'soql', query: 'SELECT Id FROM Account' },
				{ continueOnFail: true },
			);
			const [failed] = result.json;
			expect(failed.error).toBe(
				"Running the SOQL query failed: Salesforce's REST API at http://127.0.0.1:9 could not be reached.",
			);
			expect(failed.errorDescription).toMatch(
				/instance URL \(http:\/\/127\.0\.0\.1:9, from the credential's session\)/,
			);
		} finally {
			await sf.close();
		}
	});
});
