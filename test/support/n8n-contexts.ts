/**
 * n8n-core's other node contexts for one node, built as n8n 2.41 builds them, with the same
 * credentials helper as `runNode` (real preAuthentication, authenticate, one retry after a 401):
 * - a poll (TriggerExecutionContextFactory.getExecutePollFunctions: `new PollContext(workflow, node,
 *   additionalData, mode, activation, …)`; mode 'trigger', or 'manual' for the editor's Fetch Test Event);
 * - a trigger (getExecuteTriggerFunctions: `new TriggerContext(…)`, its emit recorded);
 * - the editor loading options (DynamicNodeParametersService: a "Temp-Node" holding the editor's
 *   unsaved parameters, `new LoadOptionsContext(workflow, node, additionalData, path)`).
 * Nothing runs around them: no activation, no poll schedule, no execution started by an emit.
 */
import { LoadOptionsContext, PollContext, TriggerContext } from 'n8n-core';
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeExecutionData,
	IPollFunctions,
	ITriggerFunctions,
	Workflow,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { prepareNode } from './n8n-harness';
import type { RunNodeOptions } from './n8n-harness';

export type ContextOptions = Omit<
	RunNodeOptions,
	'items' | 'mode' | 'abortSignal' | 'continueOnFail'
>;

export interface PollContextOptions extends ContextOptions {
	mode?: WorkflowExecuteMode;
	activation?: WorkflowActivateMode;
	/** The workflow's static data as n8n loads it from its database. */
	staticData?: IDataObject;
	/** n8n 2.x's opt-in durable scheduler gives each scheduled poll a new context with a budget (36 s by default). */
	pollBudgetMs?: number;
}

export interface PollContextRun {
	context: IPollFunctions;
	/** The workflow the context belongs to: its `staticData` is what n8n would save. */
	workflow: Workflow;
}

export function pollContextRun(options: PollContextOptions): PollContextRun {
	const { node, workflow, additionalData } = prepareNode(options);
	const budget =
		options.pollBudgetMs === undefined ? undefined : () => options.pollBudgetMs as number;
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'trigger',
		options.activation ?? 'activate',
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		budget,
	);
	return { context, workflow };
}

export function pollContext(options: PollContextOptions): IPollFunctions {
	return pollContextRun(options).context;
}

export interface TriggerContextRun {
	context: ITriggerFunctions;
	/** What the trigger emitted, one entry per emit. */
	emitted: INodeExecutionData[][][];
}

export function triggerContext(
	options: ContextOptions & { mode?: WorkflowExecuteMode; activation?: WorkflowActivateMode },
): TriggerContextRun {
	const { node, workflow, additionalData } = prepareNode(options);
	const emitted: INodeExecutionData[][][] = [];
	const context = new TriggerContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'trigger',
		options.activation ?? 'activate',
		(data) => {
			emitted.push(data);
		},
	);
	return { context, emitted };
}

/** The editor asking a node's method for options: `parameters` are the node's current (unsaved) ones. */
export function loadOptionsContext(
	options: ContextOptions & { path?: string },
): ILoadOptionsFunctions {
	const { node, workflow, additionalData } = prepareNode(
		{ ...options, nodeName: 'Temp-Node' },
		options.parameters,
	);
	return new LoadOptionsContext(workflow, node, additionalData, options.path ?? 'sobject');
}
