/**
 * A trigger node activated the way n8n 2.41 activates one, in-process, through n8n-core's real
 * TriggerContext (the credentials helper of `runNode`: real preAuthentication, one retry after a 401):
 * - `emit(data, responsePromise, donePromise, deduplicationKey)` saves the workflow's static data
 *   (as n8n does, before the execution exists), refuses a deduplication key a stored execution
 *   already has (its donePromise resolves `undefined`), else records the execution and "runs" it:
 *   it finishes after `executionMs` (0: on the next turn of the event loop) — or when the test says;
 * - after `trigger()` returns, static data is saved once more; after `closeFunction`, never;
 * - `emitError` and `saveFailedExecution` are recorded;
 * - manual mode as `WorkflowExecute.executeTriggerNode` + `TriggersAndPollers.runTriggerFunction`:
 *   emit is only set after `trigger()` returned, then `manualTriggerFunction` is awaited, then the
 *   first emit's data is the output.
 * An `N8nDatabase` outlives activations: what was saved (static data, executions with their keys) is
 * what the next activation — a restart, a reactivation — starts from.
 */
import { randomUUID } from 'node:crypto';

import { TriggerContext } from 'n8n-core';
import type {
	IDataObject,
	INodeExecutionData,
	IRun,
	ITriggerResponse,
	WorkflowExecuteMode,
} from 'n8n-workflow';

interface Deferred<T> {
	resolve: (value: T) => void;
	reject: (error: Error) => void;
}

import { prepareNode } from './n8n-harness';
import type { ContextOptions } from './n8n-contexts';

export interface SavedTriggerExecution {
	items: INodeExecutionData[];
	deduplicationKey?: string;
	/** Static data as n8n saved it at this emit. */
	staticDataAtEmit: IDataObject;
	/** Set while the execution runs; call to finish it (with `manualFinish`). */
	finish?: () => void;
}

/** What n8n keeps in its database across restarts of the trigger. */
export class N8nDatabase {
	/** The trigger node's id in the saved workflow: the same in every activation. */
	readonly nodeId = randomUUID();

	staticData: IDataObject = {};

	readonly executions: SavedTriggerExecution[] = [];

	/** Emits n8n refused as duplicates (their deduplication keys). */
	readonly duplicates: string[] = [];

	/** The JSON of every execution's (first) item, in the order n8n started them. */
	items(): IDataObject[] {
		return this.executions.map((execution) => execution.items[0].json);
	}
}

export interface ActivateOptions extends ContextOptions {
	database?: N8nDatabase;
	mode?: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>;
	/** How long each execution runs; default 0 (finishes on the next turn of the event loop). */
	executionMs?: number;
	/** Executions finish only when the test calls their `finish`. */
	manualFinish?: boolean;
	/** n8n cannot run these executions (1 = the first emit): their donePromise rejects, as when the database refuses the execution. */
	refuseToRun?: number[];
	/** n8n 1.x: its emit takes no deduplication key, and its context has no saveFailedExecution. */
	n8n1x?: boolean;
}

export interface ActiveTrigger {
	database: N8nDatabase;
	response: ITriggerResponse;
	/** What `emitError` received (n8n would take the trigger down and activate it again). */
	errors: Error[];
	/** What `saveFailedExecution` received (failed executions, the trigger running on). */
	failedExecutions: Error[];
	/** Deactivation: the close function, static data not saved. */
	close: () => Promise<void>;
}

function snapshot(data: unknown): IDataObject {
	return JSON.parse(JSON.stringify(data ?? {})) as IDataObject;
}

/** Activates the trigger node (mode 'trigger'); throws what activation throws. */
export async function activateTrigger(options: ActivateOptions): Promise<ActiveTrigger> {
	const database = options.database ?? new N8nDatabase();
	const { node, workflow, additionalData, nodeType } = prepareNode({
		...options,
		staticData: database.staticData,
		nodeId: database.nodeId,
	});
	const errors: Error[] = [];
	const failedExecutions: Error[] = [];
	const save = () => {
		database.staticData = snapshot(workflow.staticData);
	};
	let emits = 0;
	const emit = (
		data: INodeExecutionData[][],
		_response?: unknown,
		donePromise?: Deferred<IRun | undefined>,
		deduplicationKey?: string,
	) => {
		save();
		const key = options.n8n1x ? undefined : deduplicationKey;
		if (
			key !== undefined &&
			database.executions.some((execution) => execution.deduplicationKey === key)
		) {
			database.duplicates.push(key);
			setImmediate(() => donePromise?.resolve(undefined));
			return;
		}
		emits++;
		if (options.refuseToRun?.includes(emits)) {
			setImmediate(() => donePromise?.reject(new Error('SQLITE_BUSY: database is locked')));
			return;
		}
		const execution: SavedTriggerExecution = {
			items: data[0],
			deduplicationKey: key,
			staticDataAtEmit: snapshot(database.staticData),
		};
		database.executions.push(execution);
		const finish = () => {
			delete execution.finish;
			donePromise?.resolve({ status: 'success' } as IRun);
		};
		if (options.manualFinish) execution.finish = finish;
		else if (options.executionMs) setTimeout(finish, options.executionMs);
		else setImmediate(finish);
	};
	const context = new TriggerContext(
		workflow,
		node,
		additionalData,
		'trigger',
		'activate',
		emit as never,
		(error: Error) => errors.push(error),
		...((options.n8n1x ? [] : [(error: Error) => failedExecutions.push(error)]) as []),
	);
	if (options.n8n1x) delete (context as { saveFailedExecution?: unknown }).saveFailedExecution;
	const response = (await nodeType.trigger!.call(context)) ?? {};
	save();
	let closed = false;
	return {
		database,
		response,
		errors,
		failedExecutions,
		close: async () => {
			if (closed) return;
			closed = true;
			await response.closeFunction?.();
		},
	};
}

export interface ManualRun {
	/** The node's output: the first emit's data. */
	output: Promise<INodeExecutionData[][]>;
	/** The close function n8n runs after the trigger node's output is processed (or on a stop). */
	close: () => Promise<void>;
}

/** "Listen for test event": as n8n runs a trigger node in a manual execution. Throws what trigger() throws. */
export async function listenForTestEvent(options: ContextOptions): Promise<ManualRun> {
	const { node, workflow, additionalData, nodeType } = prepareNode(options);
	const context = new TriggerContext(workflow, node, additionalData, 'manual', 'manual');
	const response = (await nodeType.trigger!.call(context)) ?? {};
	const manualTriggerResponse = new Promise<INodeExecutionData[][]>((resolve, reject) => {
		// As runTriggerFunction does: the context's functions replaced once trigger() returned.
		const replaced = context as unknown as Record<
			'emit' | 'emitError' | 'saveFailedExecution',
			(value: never) => void
		>;
		replaced.emit = (data: INodeExecutionData[][]) => resolve(data);
		replaced.emitError = (error: Error) => reject(error);
		replaced.saveFailedExecution = (error: Error) => reject(error);
	});
	const output = (async () => {
		if (response.manualTriggerFunction) await response.manualTriggerFunction();
		return await manualTriggerResponse;
	})();
	return { output, close: async () => await response.closeFunction?.() };
}
