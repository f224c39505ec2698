/**
 * Publishing a workflow and knowing when its triggers are really active — the part of n8n that differs
 * most between the pinned versions.
 *
 * n8n 2.x publishes through an outbox: `POST /rest/workflows/:id/activate` only records the wish, a
 * consumer activates the triggers a moment later (an activation poll retried 5 times, 1+2+4+8 s
 * apart, before it counts as failed), and `GET /rest/workflows/:id/publication-status` tells the
 * outcome: `in_progress` while the record waits or runs, then `published` (live version), `partial`
 * or `failed` with each trigger's error message. At startup n8n re-activates the in-memory triggers
 * (polls, `trigger()`) of published workflows the same way (reason `startup`), after it already answers
 * HTTP, while the trigger-status rows of the previous run still say `published`: only the outbox table
 * tells that the startup activation has run, so a restart is followed there (`PublicationMark`).
 *
 * n8n 1.x activates inside the REST call (a failure is its HTTP 400) and at startup before it prints
 * that the editor is accessible (which `n8n start`'s readiness waits for).
 */
import { waitFor } from '../../../dev/n8n/wait';
import type { N8nDatabase } from './database';
import { RestError, type RestClient } from './rest';

export interface TriggerStatus {
	nodeId: string;
	/** 'activated' | 'failed' */
	status: string;
	errorMessage: string | null;
}

export interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	/** The version whose triggers are active. */
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: TriggerStatus[];
}

/** A workflow whose triggers did not (all) activate; `publication` says which and why. */
export class ActivationError extends Error {
	constructor(
		readonly workflowId: string,
		readonly publication: PublicationStatus,
	) {
		const reasons = publication.triggers
			.filter((trigger) => trigger.status === 'failed')
			.map((trigger) => `${trigger.nodeId}: ${trigger.errorMessage}`);
		super(
			`Workflow ${workflowId} did not activate (publication ${publication.status})${reasons.length ? `: ${reasons.join('; ')}` : ''}`,
		);
	}
}

/** Publication service (outbox) or activation inside the REST call, by n8n's major version. */
export function usesPublicationOutbox(n8nVersion: string | undefined): boolean {
	return !n8nVersion?.startsWith('1.');
}

/** Up to the publication's own abort (0.7 × the 120 s lease), with room. */
const PUBLICATION_TIMEOUT_MS = 120_000;

export class Publications {
	constructor(
		private readonly rest: RestClient,
		private readonly outbox: boolean,
	) {}

	/** Where the workflow's publication stands now. */
	async status(workflowId: string): Promise<PublicationStatus> {
		if (this.outbox)
			return await this.rest.json<PublicationStatus>(
				'publication status',
				`/rest/workflows/${workflowId}/publication-status`,
			);
		// 1.x: active in the database and no activation error registered.
		const error = await this.rest.json<string | null>(
			'activation error',
			`/rest/active-workflows/error/${workflowId}`,
		);
		const { activeVersionId } = await this.rest.json<{
			activeVersionId?: string | null;
			versionId: string;
		}>('workflow', `/rest/workflows/${workflowId}`);
		if (error)
			return {
				status: 'failed',
				liveVersionId: null,
				pendingVersionId: null,
				triggers: [{ nodeId: '', status: 'failed', errorMessage: error }],
			};
		return {
			status: activeVersionId ? 'published' : 'not_published',
			liveVersionId: activeVersionId ?? null,
			pendingVersionId: null,
			triggers: [],
		};
	}

	/**
	 * Publishes the workflow's current version (or `versionId`) and resolves once every trigger is
	 * active; throws `ActivationError` when one did not activate (n8n 2.x: after its retries). With
	 * `settle: false`, returns the status right after the request.
	 */
	async publish(
		workflowId: string,
		options: { versionId?: string; settle?: boolean } = {},
	): Promise<PublicationStatus> {
		const version =
			options.versionId ??
			(await this.rest.json<{ versionId: string }>('workflow', `/rest/workflows/${workflowId}`))
				.versionId;
		try {
			await this.rest.json('publish', `/rest/workflows/${workflowId}/activate`, {
				method: 'POST',
				body: JSON.stringify({ versionId: version }),
			});
		} catch (error) {
			// 1.x activates in the call: a trigger that fails to activate is its 400.
			if (!this.outbox && error instanceof RestError && error.status === 400) {
				throw new ActivationError(workflowId, {
					status: 'failed',
					liveVersionId: null,
					pendingVersionId: null,
					triggers: [{ nodeId: '', status: 'failed', errorMessage: error.n8nMessage }],
				});
			}
			throw error;
		}
		if (options.settle === false) return await this.status(workflowId);
		const settled = await this.settled(workflowId);
		if (settled.status !== 'published' || settled.liveVersionId !== version)
			throw new ActivationError(workflowId, settled);
		return settled;
	}

	/** Unpublishes the workflow and resolves once its triggers are gone. */
	async unpublish(workflowId: string): Promise<PublicationStatus> {
		await this.rest.json('unpublish', `/rest/workflows/${workflowId}/deactivate`, {
			method: 'POST',
			body: JSON.stringify({}),
		});
		const settled = await this.settled(workflowId);
		if (settled.status !== 'not_published')
			throw new Error(`Workflow ${workflowId} is still ${settled.status} after unpublishing`);
		return settled;
	}

	/** The publication status once no publication of the workflow is waiting or running. */
	async settled(workflowId: string): Promise<PublicationStatus> {
		let last: PublicationStatus | undefined;
		return await waitFor(
			`the publication of workflow ${workflowId} to settle`,
			async () => {
				last = await this.status(workflowId);
				return last.status === 'in_progress' ? undefined : last;
			},
			{ timeoutMs: PUBLICATION_TIMEOUT_MS, detail: () => JSON.stringify(last) },
		);
	}
}

/** The outbox as n8n stopped: what a restart must see processed before its triggers count as active. */
export interface PublicationMark {
	/** The last outbox record before the restart. */
	lastId: number;
	/** Records n8n stopped before finishing: the restarted n8n takes them up. */
	unfinishedIds: number[];
	/** Workflows whose in-memory triggers (polls, `trigger()`) were active: re-activated at startup. */
	workflowIds: string[];
}

/** Outbox records n8n has yet to run or is running. */
const UNFINISHED = ['pending', 'in_progress'];
const UNFINISHED_SQL = `(${UNFINISHED.map((status) => `'${status}'`).join(', ')})`;

/** Reads the outbox of a stopped n8n (2.x). */
export async function publicationMark(db: N8nDatabase): Promise<PublicationMark> {
	const [{ lastId }] = await db.rows<{ lastId: number | null }>(
		'SELECT max(id) AS "lastId" FROM workflow_publication_outbox',
	);
	const unfinished = await db.rows<{ id: number; workflowId: string }>(
		`SELECT id, "workflowId" FROM workflow_publication_outbox WHERE status IN ${UNFINISHED_SQL}`,
	);
	const active = await db.rows<{ workflowId: string }>(
		`SELECT DISTINCT "workflowId" FROM workflow_publication_trigger_status WHERE status = 'activated' AND "triggerKind" = 'in-memory'`,
	);
	const taken = new Set(unfinished.map((record) => record.workflowId));
	return {
		lastId: Number(lastId ?? 0),
		unfinishedIds: unfinished.map((record) => Number(record.id)),
		workflowIds: active.map((row) => row.workflowId).filter((id) => !taken.has(id)),
	};
}

/** Waits until the restarted n8n (2.x) has run every publication the mark says it must. */
export async function waitForStartupPublications(
	db: N8nDatabase,
	mark: PublicationMark,
): Promise<void> {
	const known = mark.unfinishedIds.length > 0 ? ` OR id IN (${mark.unfinishedIds.join(', ')})` : '';
	let pending: string[] = [];
	await waitFor(
		'n8n to re-activate the triggers of published workflows after its start',
		async () => {
			const records = await db.rows<{ id: number; workflowId: string; status: string }>(
				`SELECT id, "workflowId", status FROM workflow_publication_outbox WHERE id > ${mark.lastId}${known}`,
			);
			const finished = (record: { status: string }) => !UNFINISHED.includes(record.status);
			pending = [
				...records
					.filter((record) => mark.unfinishedIds.includes(Number(record.id)) && !finished(record))
					.map((record) => record.workflowId),
				...mark.workflowIds.filter(
					(id) =>
						!records.some(
							(record) =>
								record.workflowId === id && Number(record.id) > mark.lastId && finished(record),
						),
				),
			];
			return pending.length === 0 ? true : undefined;
		},
		{
			timeoutMs: PUBLICATION_TIMEOUT_MS,
			detail: () => `still waiting for workflows ${pending.join(', ')}`,
		},
	);
}
