/**
 * The trigger's adapter over the core's StreamingSession: it sends what the session asks for
 * (../client/streaming), waits when it says so, renews the session when Salesforce ended it, and
 * hands each event to n8n — one execution per event, in the order Salesforce delivered them:
 * - the replay state goes into static data before each emit (n8n saves static data at the emit,
 *   before the execution exists), so what is stored never names an event n8n does not have;
 * - the next event waits until n8n has run the execution of the one before (`donePromise`): emitting
 *   without waiting lets executions overtake each other, and a burst of thousands of concurrent
 *   executions swamps n8n's database;
 * - each emit carries a deduplication key (channel and replay id, per workflow and node): after a
 *   restart, the last event delivered comes again and n8n 2.x refuses its second execution;
 * - a lost window (a stored replay id Salesforce no longer holds) becomes a failed execution that
 *   says which window (n8n 2.x; n8n 1.x has no such report for a running trigger: it is logged);
 * - deactivation aborts whatever is outstanding — the held long poll, a wait, the wait for an
 *   execution — and says goodbye with /meta/disconnect: no timer and no socket is left behind.
 * In manual mode ("Listen for test event") it delivers the first new event and stores nothing.
 */
import type { IDataObject, IRun, ITriggerFunctions } from 'n8n-workflow';
import {
	connect,
	postBayeux,
	readChangedRecords,
	renewStreamingSession,
	type BayeuxOutcome,
	type SalesforceConnection,
} from '../client';
import { findSalesforceAuthError, pause, unlessAborted } from '../n8n';
import {
	backoffMs,
	deliveryKey,
	describeChannel,
	recordsOfChange,
	REST_API_VERSION,
	streamingStopped,
	StreamingSession,
	type SalesforceRecord,
	type StreamEvent,
	type StreamingAction,
	type StreamingNotice,
} from '../salesforce';
import type { TriggerSettings } from './description';

/** Failed attempts at activation before the trigger stops waiting for Salesforce there and keeps trying in the background. */
const ACTIVATION_ATTEMPTS = 2;
/** With full records, events are read together: at most this many per round of Collections requests. */
const EVENTS_PER_RECORD_READ = 200;
/** Failures in a row after which the log says so at warning level (each one is logged at debug). */
const WARN_AFTER_FAILURES = 3;

type Step = Exclude<StreamingAction, { kind: 'stop' }>;

export class EventSubscription {
	private readonly connection: SalesforceConnection;

	private readonly session: StreamingSession;

	private readonly stopping = new AbortController();

	private readonly manual: boolean;

	/** Workflow and node: the same event in two workflows (or two trigger nodes) runs in each. */
	private readonly scope: string;

	private action: StreamingAction;

	private running: Promise<void> | undefined;

	private closed = false;

	/** Why the last request got no answer, for the log and for a manual run that gives up. */
	private lastProblem: Error | undefined;

	constructor(
		private readonly context: ITriggerFunctions,
		private readonly settings: TriggerSettings,
	) {
		this.manual = context.getMode() === 'manual';
		this.connection = connect(context);
		this.session = new StreamingSession({
			channel: settings.channel,
			apiVersion: REST_API_VERSION,
			// A test run listens for the next event; it neither reads nor moves the workflow's replay state.
			stored: this.manual ? undefined : this.staticData().replay,
			replayFrom: this.manual ? 'new' : settings.replayFrom,
			now: () => Date.now(),
		});
		this.action = this.session.start();
		this.scope = `${context.getWorkflow().id ?? ''}\n${context.getNode().id}`;
	}

	/**
	 * Handshake and subscription. A refusal (no such channel, no access, a credential that cannot log
	 * in) is thrown as n8n's error, its message saying what to change: the activation fails with it.
	 * When Salesforce cannot be reached, the activation goes ahead and the trigger keeps trying.
	 */
	async establish(): Promise<void> {
		while (!this.session.isEstablished) {
			if (this.action.kind === 'stop')
				throw this.connection.nodeError(
					this.action.error ??
						streamingStopped('The Streaming API subscription stopped before it started'),
				);
			if (this.session.failureStreak >= ACTIVATION_ATTEMPTS) {
				const problem = this.lastProblem?.message ?? 'it answered with server errors';
				if (this.manual)
					throw this.connection.nodeError(
						this.lastProblem ?? streamingStopped("Salesforce's Streaming API did not answer"),
					);
				this.context.logger.warn(
					`Salesforce Event Trigger: Salesforce cannot be reached (${problem}); the trigger keeps trying to subscribe to ${this.settings.channel.path}`,
				);
				return;
			}
			this.action = await this.step(this.action);
		}
		// n8n saves static data after the activation: a "New Events" start keeps its starting point.
		if (!this.manual) this.storeReplay();
	}

	/** Runs the subscription in the background until deactivation (or a failure it cannot get past, reported to n8n). */
	start(): void {
		this.running = this.run();
	}

	/** Manual mode: waits for the next event and hands it to n8n (which ends the test run). */
	async untilFirstEvent(): Promise<void> {
		try {
			while (!(await this.handOver(1))) {
				if (this.action.kind === 'stop')
					throw this.connection.nodeError(
						this.action.error ?? streamingStopped('The Streaming API subscription stopped'),
					);
				this.action = await this.step(this.action);
			}
		} catch (error) {
			if (!this.stopping.signal.aborted) throw this.connection.nodeError(error);
		}
	}

	/** Deactivation: ends the held long poll and every wait at once, then disconnects the client (best effort). */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.stopping.abort();
		await this.running;
		const goodbye = this.session.stop();
		if (goodbye.kind !== 'send') return;
		try {
			await postBayeux(this.connection, goodbye.request);
		} catch {
			// Salesforce forgets a client that does not come back within 40 seconds anyway.
		}
	}

	// -------------------------------------------------------------------------------------------

	private staticData(): IDataObject {
		return this.context.getWorkflowStaticData('node');
	}

	/** Replaced as a whole: n8n notices only top-level assignments to static data. */
	private storeReplay(): void {
		const replay = this.session.storedReplay();
		if (replay) this.staticData().replay = { ...replay };
	}

	private async run(): Promise<void> {
		try {
			for (;;) {
				await this.handOver(Number.POSITIVE_INFINITY);
				if (this.action.kind === 'stop') break;
				this.action = await this.step(this.action);
			}
		} catch (error) {
			if (this.stopping.signal.aborted) return;
			this.action = {
				kind: 'stop',
				error: error instanceof Error ? error : new Error(String(error)),
			};
		}
		if (this.action.kind === 'stop' && this.action.error && !this.stopping.signal.aborted) {
			// n8n takes the trigger down, reports the error (the error workflow runs) and activates it again.
			this.context.emitError(this.connection.nodeError(this.action.error));
		}
	}

	/** One thing the session asked for: wait if told to, then send (or renew the session); the session's next step. */
	private async step(action: Step): Promise<StreamingAction> {
		const signal = this.stopping.signal;
		if (action.delayMs > 0) await pause(action.delayMs, signal);
		if (action.kind === 'renewSession') return await this.renewSession();
		let outcome: BayeuxOutcome;
		try {
			outcome = await postBayeux(this.connection, action.request, signal);
		} catch (error) {
			// The credential could not log in because Salesforce was out of reach: no answer either, nothing refused.
			const outage = signal.aborted ? undefined : findSalesforceAuthError(error);
			if (!outage?.isOutage) throw this.connection.nodeError(error);
			outcome = { noAnswer: outage };
		}
		if ('answer' in outcome) return this.session.answered(outcome.answer);
		this.noteProblem(outcome.noAnswer, action.request.purpose);
		return this.session.noAnswer();
	}

	/** One login through the credential; while Salesforce cannot be reached, asked again after a backoff (nothing was refused). */
	private async renewSession(): Promise<StreamingAction> {
		for (let attempt = 1; ; attempt++) {
			let renewal;
			try {
				renewal = await renewStreamingSession(this.connection);
			} catch (error) {
				return this.session.renewalFailed(
					error instanceof Error ? error : new Error(String(error)),
				);
			}
			if ('renewed' in renewal) return this.session.sessionRenewed();
			if ('refused' in renewal) return this.session.renewalFailed(renewal.refused);
			this.noteProblem(renewal.unreachable, 'session renewal');
			await pause(backoffMs(attempt + 1), this.stopping.signal);
		}
	}

	private noteProblem(problem: Error, what: string): void {
		this.lastProblem = problem;
		const streak = this.session.failureStreak;
		const line = `Salesforce Event Trigger: ${what} on ${this.settings.channel.path} got no answer (${problem.message}); trying again`;
		if (streak === WARN_AFTER_FAILURES) this.context.logger.warn(line);
		else this.context.logger.debug(line);
	}

	/**
	 * Hands what Salesforce sent to n8n, at most `limit` events: first the notices (a lost window
	 * comes before the events after it), then each event. True when an event was handed over.
	 */
	private async handOver(limit: number): Promise<boolean> {
		for (const notice of this.session.takeNotices()) this.report(notice);
		let handed = 0;
		while (handed < limit && this.session.queuedEvents > 0) {
			const batch = this.takeEvents(
				Math.min(limit - handed, this.settings.fetchFullRecords ? EVENTS_PER_RECORD_READ : 1),
			);
			const records = this.settings.fetchFullRecords ? await this.readRecords(batch) : undefined;
			for (const event of batch) {
				await this.deliver(event, records);
				handed++;
			}
		}
		return handed > 0;
	}

	private takeEvents(count: number): StreamEvent[] {
		const events: StreamEvent[] = [];
		for (
			let event = this.session.takeEvent();
			event;
			event = events.length < count ? this.session.takeEvent() : undefined
		)
			events.push(event);
		return events;
	}

	/** The current records the events' changes name; a failure is handed on in the items rather than holding the events back. */
	private async readRecords(events: StreamEvent[]): Promise<Map<string, SalesforceRecord> | Error> {
		const changes = events.flatMap((event) => (event.change ? [event.change] : []));
		if (changes.length === 0) return new Map();
		try {
			return await readChangedRecords(this.connection, changes, this.stopping.signal);
		} catch (error) {
			if (this.stopping.signal.aborted) throw this.connection.nodeError(error);
			return error instanceof Error ? error : new Error(String(error));
		}
	}

	/** One event, one execution: replay state stored first, then the emit, then n8n's run of it awaited. */
	private async deliver(
		event: StreamEvent,
		records: Map<string, SalesforceRecord> | Error | undefined,
	): Promise<void> {
		const item: IDataObject = { ...(event.item as IDataObject) };
		if (records instanceof Error) item.recordsError = records.message;
		else if (records && event.change)
			item.records = recordsOfChange(event.change, records) as IDataObject[];

		if (this.manual) {
			this.context.emit([[{ json: item }]]);
			return;
		}
		this.storeReplay();
		const done = this.context.helpers.createDeferredPromise<IRun>();
		const ran = done.promise.then(
			() => undefined,
			(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
		);
		this.context.emit(
			[[{ json: item }]],
			undefined,
			done,
			deliveryKey(this.scope, this.settings.channel.path, event.replayId),
		);
		const failure = await unlessAborted(ran, this.stopping.signal);
		if (this.stopping.signal.aborted) throw new Error('deactivated');
		if (failure) {
			this.reportFailure(
				new Error(
					`n8n could not run the execution of the event with replay id ${event.replayId} on ${this.settings.channel.path} (${failure.message}); the trigger went on with the next event`,
				),
			);
		}
		this.session.delivered(event);
	}

	private report(notice: StreamingNotice): void {
		if (notice.kind === 'windowLost') this.reportFailure(notice.error);
		else
			this.context.logger.warn(
				`Salesforce Event Trigger: skipped a message on ${notice.channel} that is no event (${notice.problem})`,
			);
	}

	/** A failed execution saying what happened (n8n 2.x), the trigger running on; n8n 1.x has none: the log says it. */
	private reportFailure(error: Error): void {
		const nodeError = this.connection.nodeError(error);
		const save = (this.context as { saveFailedExecution?: (failure: typeof nodeError) => void })
			.saveFailedExecution;
		if (typeof save === 'function') save.call(this.context, nodeError);
		else
			this.context.logger.error(
				`Salesforce Event Trigger on ${describeChannel(this.settings.channel)}: ${nodeError.message}`,
			);
	}
}
