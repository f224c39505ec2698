import { SalesforceRestError } from '../../../../nodes/salesforce';

/** The SalesforceRestError `run` throws (a refused parameter, a translated answer); fails the test if it throws none. */
export function refusal(run: () => unknown): SalesforceRestError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(SalesforceRestError);
		return error as SalesforceRestError;
	}
	throw new Error('expected a refusal');
}
