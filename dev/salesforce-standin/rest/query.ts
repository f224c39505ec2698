import type { Query } from './soql/ast';
import { SoqlError } from './soql/errors';
import { parseSoql } from './soql/parser';
import { renderRow, selectHandles } from './soql/run';
import type { RowHandle } from './records';
import type { RestContext } from './context';
import { allow } from './context';
import { restError, RestError } from './errors';
import { sendJson } from '../http';
import { salesforceId } from '../ids';

/**
 * query and queryAll (fact sheet §2). A result larger than the batch opens a cursor; its
 * `nextRecordsUrl` is `/services/data/vXX.X/query/<locator>-<offset>` (queryAll's too). Cursors
 * belong to the user, not the session: a session that dies mid-paging is renewed and the next page
 * still works. They live 2 days (v56.0+); expired or unknown ones answer 400 INVALID_QUERY_LOCATOR.
 * The cursor is a snapshot of the rows as the query found them, kept as row handles and rendered
 * a page at a time (a million synthetic rows page without a million JSON records in memory).
 */

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;
const CURSOR_LIFE_MS = 2 * 24 * 60 * 60 * 1000;

interface Cursor {
	userId: string;
	query: Query;
	handles: RowHandle[];
	batchSize: number;
	openedAt: number;
}

export class QueryCursors {
	private readonly cursors = new Map<string, Cursor>();

	open(cursor: Cursor): string {
		const locator = salesforceId('01g');
		this.cursors.set(locator, cursor);
		return locator;
	}

	get(locator: string, userId: string, now = Date.now()): Cursor | undefined {
		const cursor = this.cursors.get(locator);
		if (cursor && now - cursor.openedAt >= CURSOR_LIFE_MS) this.cursors.delete(locator);
		return cursor && cursor.userId === userId && now - cursor.openedAt < CURSOR_LIFE_MS
			? cursor
			: undefined;
	}

	clear(): void {
		this.cursors.clear();
	}
}

/**
 * `Sforce-Query-Options: batchSize=N`: 200..2,000, default 2,000. Salesforce treats it as a hint;
 * the stand-in clamps out-of-range values and ignores unreadable ones (the docs are silent).
 */
function batchSize(context: RestContext): number | undefined {
	const header = context.req.headers['sforce-query-options'];
	const match = /(?:^|[,;\s])batchSize\s*=\s*(\d+)/i.exec(
		Array.isArray(header) ? header.join(',') : (header ?? ''),
	);
	return match ? Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(match[1]))) : undefined;
}

function page(
	context: RestContext,
	query: Query,
	handles: RowHandle[],
	offset: number,
	size: number,
	locator?: string,
) {
	const end = Math.min(handles.length, offset + size);
	const done = end >= handles.length;
	const { store } = context.org.rest;
	return {
		totalSize: handles.length,
		done,
		...(done
			? {}
			: { nextRecordsUrl: `/services/data/${context.version}/query/${locator}-${end}` }),
		records: handles
			.slice(offset, end)
			.map((handle) => renderRow(store, query, store.rowAt(query.object, handle), context.version)),
	};
}

export function parseQuery(context: RestContext, soql: string): Query {
	try {
		return parseSoql(soql, context.org.rest.store.objects, context.org.clock.now());
	} catch (error) {
		if (error instanceof SoqlError)
			throw new RestError(400, [{ message: error.message, errorCode: error.errorCode }]);
		throw error;
	}
}

export function handleQuery(context: RestContext, includeDeleted: boolean): void {
	allow(context, 'GET');
	const { cursors } = context.org.rest;
	const next = context.segments[1];
	if (next !== undefined) {
		const match = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(next);
		const cursor = match ? cursors.get(match[1], context.userId) : undefined;
		if (
			!match ||
			!cursor ||
			Number(match[2]) > cursor.handles.length ||
			context.segments.length > 2
		) {
			throw restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		}
		sendJson(
			context.res,
			200,
			page(
				context,
				cursor.query,
				cursor.handles,
				Number(match[2]),
				batchSize(context) ?? cursor.batchSize,
				match[1],
			),
			context.headers,
		);
		return;
	}
	const soql = context.url.searchParams.get('q');
	if (!soql || soql.trim() === '')
		throw restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
	const query = parseQuery(context, soql);
	if (query.count) {
		const total = selectHandles(context.org.rest.store, query, includeDeleted).length;
		sendJson(context.res, 200, { totalSize: total, done: true, records: [] }, context.headers);
		return;
	}
	const handles = selectHandles(context.org.rest.store, query, includeDeleted);
	const size = batchSize(context) ?? DEFAULT_BATCH;
	const locator =
		handles.length > size
			? cursors.open({
					userId: context.userId,
					query,
					handles,
					batchSize: size,
					openedAt: Date.now(),
				})
			: undefined;
	sendJson(context.res, 200, page(context, query, handles, 0, size, locator), context.headers);
}
