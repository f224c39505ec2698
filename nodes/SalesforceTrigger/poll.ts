/**
 * The trigger's poll as n8n runs it. The change-detection core (../salesforce/changes) plans each
 * poll and reads Salesforce's answers; the client (../client/changes) sends them on Salesforce's
 * clock; this adapter fits them to n8n's polling:
 *
 * - The state lives in the node's static data under one top-level key, reassigned after each poll
 *   (n8n notices top-level assignments only). n8n saves it when a poll emits and after an
 *   activation, never after an empty poll: the core resumes safely from any older state.
 * - n8n starts a poll every tick even while the last one still runs: a poll of a node that is
 *   already polling returns nothing (the running one reads those changes).
 * - The activation poll (n8n runs one when it activates the workflow, and an error there fails the
 *   activation — in n8n 2.x for good, until the workflow is published again) fails only for what
 *   the person publishing must fix (an unknown object or field, a refused login), and only while
 *   someone is publishing: at n8n's start, or for a passing fault, it logs a warning and leaves
 *   the work to the next poll. It reads at most one page, so activation stays quick.
 * - A scheduled poll that fails is a failed execution; its state does not move.
 * - Fetch Test Event (manual mode) shows the latest matching record and moves nothing.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { changeSession, connect, runChangeSteps, type SalesforceConnection } from '../client';
import { mustBeFixedByUser } from '../n8n';
import { type PollOutcome, SalesforceRestError, startPoll, startSample } from '../salesforce';
import { prepareWatch, readParameters, type TriggerParameters } from './watch';

/** The node's static data key holding the core's state. */
export const STATE_KEY = 'changes';

/** Rows the activation poll reads at most (one page): the rest waits for the next poll. */
export const ACTIVATION_MAX_RECORDS = 2_000;

/** Nodes (workflow + node id) with a poll running in this process. */
const pollsRunning = new Set<string>();

/** Poll contexts that have polled: n8n hands the same one to every scheduled poll of an activation. */
const contextsSeen = new WeakSet<object>();

/** What PollContext gives a poll's budget outside n8n 2.x's opt-in durable scheduler. */
const DEFAULT_POLL_BUDGET_MS = 5 * 60_000;

/**
 * Whether this is the poll n8n runs while activating the workflow: the first poll of its context.
 * n8n 2.x's opt-in durable scheduler builds a new context for each scheduled poll too, with a
 * shorter budget, which tells those polls apart.
 */
function isActivationPoll(context: IPollFunctions): boolean {
	const first = !contextsSeen.has(context);
	contextsSeen.add(context);
	const budget = (context as { getPollBudgetMs?: () => number }).getPollBudgetMs;
	const durableTick = typeof budget === 'function' && budget.call(context) < DEFAULT_POLL_BUDGET_MS;
	return first && !durableTick;
}

/** Someone is publishing the workflow right now (not n8n starting up or a leader taking over). */
function someoneIsPublishing(context: IPollFunctions): boolean {
	const mode = context.getActivationMode();
	return mode === 'activate' || mode === 'update';
}

/** A field the describe listed no longer exists or is hidden, or one the user chose is not in it. */
function describeMayBeStale(error: unknown): boolean {
	if (!(error instanceof SalesforceRestError)) return false;
	return (
		error.code === 'INVALID_FIELD' ||
		(error.code === 'INVALID_INPUT' && / has no field /.test(error.message))
	);
}

/** The poll's outcome, or its failure as the package raised it (to be judged before n8n's error wraps it). */
type PollResult =
	| { outcome: PollOutcome; failure?: undefined }
	| { failure: unknown; outcome?: undefined };

async function runPoll(
	salesforce: SalesforceConnection,
	readWatch: () => TriggerParameters,
	poll: { stored: unknown; activation: boolean },
): Promise<PollResult> {
	const attempt = async (refresh: boolean): Promise<PollResult & { staleDescribe?: boolean }> => {
		let describedFromMemory = false;
		try {
			const session = await changeSession(salesforce);
			const prepared = await prepareWatch(salesforce, readWatch(), session.orgId, refresh);
			describedFromMemory = prepared.describedFromMemory;
			const first = startPoll({
				watch: prepared.watch,
				stored: poll.stored,
				salesforceNow: session.salesforceNow,
				activation: poll.activation,
				maxRecords: poll.activation ? ACTIVATION_MAX_RECORDS : undefined,
			});
			return {
				outcome: await runChangeSteps(
					salesforce,
					first,
					`polling ${prepared.watch.sobject} for changes`,
				),
			};
		} catch (failure) {
			return { failure, staleDescribe: describedFromMemory && describeMayBeStale(failure) };
		}
	};
	const result = await attempt(false);
	// The day-old describe was stale: once more with a fresh one (nothing was stored yet).
	return result.staleDescribe ? await attempt(true) : result;
}

async function fetchTestEvent(context: IPollFunctions): Promise<INodeExecutionData[][]> {
	const salesforce = connect(context);
	try {
		const parameters = readParameters(context);
		const { watch } = await prepareWatch(salesforce, parameters, '');
		const outcome = await runChangeSteps(
			salesforce,
			startSample({ watch }),
			`reading the latest ${watch.sobject} records`,
		);
		if (outcome.records.length === 0) {
			const what =
				parameters.event === 'deleted'
					? `deleted ${watch.sobject} record in the Recycle Bin`
					: `${watch.sobject} record`;
			throw new NodeOperationError(context.getNode(), `No ${what} matches the trigger yet`, {
				description: `Fetch Test Event shows the latest matching record. ${parameters.event === 'deleted' ? 'Delete' : 'Create or change'} ${watch.sobject} records that meet the conditions in Salesforce, then fetch again.`,
			});
		}
		return [context.helpers.returnJsonArray(outcome.records as IDataObject[])];
	} catch (error) {
		throw salesforce.nodeError(error);
	}
}

async function pollChangesOnce(
	context: IPollFunctions,
	activation: boolean,
): Promise<INodeExecutionData[][] | null> {
	const salesforce = connect(context);
	const staticData = context.getWorkflowStaticData('node');
	const { outcome, failure } = await runPoll(salesforce, () => readParameters(context), {
		stored: staticData[STATE_KEY],
		activation,
	});
	if (!outcome) {
		const nodeError = salesforce.nodeError(failure);
		if (activation && !(someoneIsPublishing(context) && mustBeFixedByUser(failure))) {
			context.logger.warn(
				`Salesforce Trigger "${context.getNode().name}" could not poll while the workflow was activated; the next poll tries again: ${nodeError.message}`,
				{
					workflowId: context.getWorkflow().id,
					node: context.getNode().name,
				},
			);
			return null;
		}
		throw nodeError;
	}
	staticData[STATE_KEY] = outcome.stored as unknown as IDataObject;
	context.logger.debug(
		`Salesforce Trigger "${context.getNode().name}" polled: ${outcome.records.length} records, ${outcome.requests} API requests`,
		{
			workflowId: context.getWorkflow().id,
			node: context.getNode().name,
		},
	);
	if (outcome.lostDeletions) throw salesforce.nodeError(outcome.lostDeletions);
	return outcome.records.length > 0
		? [context.helpers.returnJsonArray(outcome.records as IDataObject[])]
		: null;
}

export async function pollChanges(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	if (this.getMode() === 'manual') return await fetchTestEvent(this);
	const activation = isActivationPoll(this);
	const running = `${this.getWorkflow().id ?? ''}\u0000${this.getNode().id}`;
	if (pollsRunning.has(running)) return null;
	pollsRunning.add(running);
	try {
		return await pollChangesOnce(this, activation);
	} finally {
		pollsRunning.delete(running);
	}
}
