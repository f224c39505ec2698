/**
 * A polling trigger's life as n8n 2.41 leads it (see /work/notes/n8n-internals.md, A1–A4), around
 * n8n-core's real PollContext:
 * - activation (`activate`, re-publish `update`, n8n's start `init`): a NEW context on a workflow
 *   loaded from the database, one poll; its items are emitted, its error fails the activation;
 *   then n8n saves the static data;
 * - scheduled polls: the SAME context; items → emitted and the static data saved; `null` → nothing
 *   saved (what changed stays in memory only); an error → a failed execution, nothing saved;
 * - a restart: everything in memory is lost, the next activation loads the last SAVED state;
 * - Fetch Test Event: a manual context on the saved workflow, never saved.
 * The "database" is `saved`, the workflow's static data as JSON.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	IPollFunctions,
	Workflow,
	WorkflowActivateMode,
} from 'n8n-workflow';

import { pollContextRun, type ContextOptions } from './n8n-contexts';

export interface PollRun {
	/** What n8n emitted (one execution), or nothing. */
	items: Array<Record<string, unknown>>;
	/** The poll failed: a failed execution (scheduled poll) or a failed activation. */
	error?: Error & { description?: string | null };
}

export class N8nPolling {
	/** The workflow's static data as n8n's database holds it. */
	saved = '{}';
	/** Every emitted item, in order, over the trigger's whole life. */
	readonly emitted: Array<Record<string, unknown>> = [];
	private active?: { context: IPollFunctions; workflow: Workflow };

	constructor(private readonly options: ContextOptions & { node: INodeType }) {}

	/** The node's saved state (what the trigger keeps under its static data key), parsed. */
	savedNodeData(): IDataObject | undefined {
		return (JSON.parse(this.saved) as Record<string, IDataObject>)[`node:${this.nodeName()}`];
	}

	private nodeName(): string {
		return (
			this.options.nodeName ??
			this.options.node.description.defaults.name ??
			this.options.node.description.displayName
		);
	}

	private save(workflow: Workflow): void {
		const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (staticData.__dataChanged !== true) return;
		this.saved = JSON.stringify(staticData);
		staticData.__dataChanged = false;
	}

	private async pollOnce(context: IPollFunctions): Promise<PollRun> {
		const poll = this.options.node.poll;
		if (!poll) throw new Error('not a polling node');
		let output: INodeExecutionData[][] | null;
		try {
			output = await poll.call(context);
		} catch (error) {
			return { items: [], error: error as PollRun['error'] };
		}
		const items = (output?.[0] ?? []).map((item) => item.json as Record<string, unknown>);
		this.emitted.push(...items);
		return { items };
	}

	/** n8n activates the workflow: a fresh context, one poll; saved if it emitted and after a successful activation. */
	async activate(mode: WorkflowActivateMode = 'activate'): Promise<PollRun> {
		const run = pollContextRun({
			...this.options,
			activation: mode,
			staticData: JSON.parse(this.saved) as IDataObject,
		});
		const result = await this.pollOnce(run.context);
		if (result.error) {
			this.active = undefined;
			return result;
		}
		this.active = run;
		this.save(run.workflow);
		return result;
	}

	/** A scheduled poll of the active workflow; saved only when it emitted. */
	async tick(): Promise<PollRun> {
		if (!this.active) throw new Error('the workflow is not active');
		const result = await this.pollOnce(this.active.context);
		if (!result.error && result.items.length > 0) this.save(this.active.workflow);
		return result;
	}

	/**
	 * A scheduled poll as n8n 2.x's opt-in durable scheduler runs it: a new context (activation
	 * 'update', a 36-second budget) on the workflow as saved; saved when it emits.
	 */
	async durableTick(): Promise<PollRun> {
		const run = pollContextRun({
			...this.options,
			activation: 'update',
			staticData: JSON.parse(this.saved) as IDataObject,
			pollBudgetMs: 36_000,
		});
		const result = await this.pollOnce(run.context);
		if (!result.error && result.items.length > 0) this.save(run.workflow);
		return result;
	}

	/** Two scheduled polls started at once (n8n's cron does not wait for a running poll). */
	async overlappingTicks(): Promise<[PollRun, PollRun]> {
		if (!this.active) throw new Error('the workflow is not active');
		const [first, second] = await Promise.all([
			this.pollOnce(this.active.context),
			this.pollOnce(this.active.context),
		]);
		if (first.items.length + second.items.length > 0) this.save(this.active.workflow);
		return [first, second];
	}

	/** n8n stops: whatever was not saved is lost. */
	stop(): void {
		this.active = undefined;
	}

	/** The editor's Fetch Test Event: a manual run on the saved workflow, nothing saved. */
	async fetchTestEvent(): Promise<PollRun> {
		const run = pollContextRun({
			...this.options,
			mode: 'manual',
			activation: 'manual',
			staticData: JSON.parse(this.saved) as IDataObject,
		});
		const before = this.emitted.length;
		const result = await this.pollOnce(run.context);
		this.emitted.splice(before);
		return result;
	}
}
