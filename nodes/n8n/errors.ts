/**
 * Turns any failure into the error n8n shows: NodeApiError carrying the core's message (what is
 * wrong) and description (what to do). n8n-core wraps errors thrown by preAuthentication in its own
 * NodeApiError, so the SalesforceAuthError may sit anywhere in the `cause` chain.
 *
 * n8n 1.x loses it there: n8n-workflow 1.x's ExecutionBaseError declares `cause` as a class field,
 * which resets the native `cause` to undefined right after `super()`, so the wrapper keeps only the
 * error's message and description. The credential therefore hands its errors to n8n through
 * `handToN8n`, which remembers the last few; a wrapper showing exactly the message and description of
 * one of them is recognised as that error. (Those texts are the package's own and hold no secret.)
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';
import {
	findInCauses,
	SalesforceAuthError,
	SalesforceRestError,
	withDescriptionNote,
} from '../salesforce';

/** Errors the credential threw to n8n recently, newest last; bounded, they are only looked up at once. */
const handedToN8n: SalesforceAuthError[] = [];
const REMEMBERED_ERRORS = 32;

function inCauseChain(error: unknown): SalesforceAuthError | undefined {
	return findInCauses(error, (link) => (link instanceof SalesforceAuthError ? link : undefined));
}

/** The remembered error an n8n wrapper (anywhere in the chain) shows the message and description of. */
function handedBackByN8n(error: unknown): SalesforceAuthError | undefined {
	return findInCauses(error, (link) => {
		const { message, description } = link as { message?: unknown; description?: unknown };
		if (typeof message !== 'string' || typeof description !== 'string') return undefined;
		for (let index = handedToN8n.length - 1; index >= 0; index--) {
			const candidate = handedToN8n[index];
			if (candidate.message === message && candidate.description === description) return candidate;
		}
		return undefined;
	});
}

/**
 * Call on an error about to be thrown to n8n (from preAuthentication): returns it unchanged, and
 * remembers a SalesforceAuthError in it so `findSalesforceAuthError` still finds it after n8n 1.x
 * wrapped it and dropped the cause.
 */
export function handToN8n<T>(error: T): T {
	const authError = inCauseChain(error);
	if (authError) {
		const known = handedToN8n.indexOf(authError);
		if (known >= 0) handedToN8n.splice(known, 1);
		handedToN8n.push(authError);
		if (handedToN8n.length > REMEMBERED_ERRORS) handedToN8n.shift();
	}
	return error;
}

export function findSalesforceAuthError(error: unknown): SalesforceAuthError | undefined {
	return inCauseChain(error) ?? handedBackByN8n(error);
}

function findSalesforceRestError(error: unknown): SalesforceRestError | undefined {
	return findInCauses(error, (link) => (link instanceof SalesforceRestError ? link : undefined));
}

/**
 * A REST failure as n8n shows it. Built from the core's error alone: n8n's own error of the
 * request would carry the request options, the Bearer header among them. An answer from
 * Salesforce becomes a NodeApiError with its HTTP status; refused input (and a request that got no
 * answer) a NodeOperationError.
 */
function restNodeError(
	node: INode,
	restError: SalesforceRestError,
): NodeApiError | NodeOperationError {
	if (restError.httpStatus !== undefined) {
		return new NodeApiError(node, restError as unknown as JsonObject, {
			message: restError.message,
			description: restError.description,
			httpCode: String(restError.httpStatus),
		});
	}
	return new NodeOperationError(node, restError, { description: restError.description });
}

export function toNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	const authError = findSalesforceAuthError(error);
	if (authError) {
		return new NodeApiError(node, authError as unknown as JsonObject, {
			message: authError.message,
			description: authError.description,
		});
	}
	const restError = findSalesforceRestError(error);
	if (restError) return restNodeError(node, restError);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}

/**
 * The error as n8n shows it, its description followed by `note` (what became of work the failed
 * request left behind). Built again from the core's error where there is one: toNodeError would
 * otherwise rebuild it without the note.
 */
export function withNote(
	node: INode,
	error: unknown,
	note: string,
): NodeApiError | NodeOperationError {
	const restError = findSalesforceRestError(error);
	if (restError) return restNodeError(node, withDescriptionNote(restError, note));
	const nodeError = toNodeError(node, error);
	nodeError.description = nodeError.description ? `${nodeError.description}\n${note}` : note;
	return nodeError;
}

/** The HTTP status of Salesforce's answer in a failure, if an answer came. */
export function answeredStatus(error: unknown): number | undefined {
	return findSalesforceRestError(error)?.httpStatus;
}

/** Failures of the login details that stay until someone changes the credential or the org. */
const LASTING_LOGIN_FAILURES = new Set([
	'invalid-input',
	'cooling-down',
	'rest-session-not-allowed',
]);

/**
 * Whether a failure lasts until someone changes something — a parameter, the credential, the org's
 * setup (an unknown object or field, a refused login, a missing permission) — rather than passing
 * (Salesforce unavailable or unreachable, a lock, the daily API limit). Read from the package's own
 * errors, so call it before they are wrapped in n8n's.
 */
export function mustBeFixedByUser(error: unknown): boolean {
	const authError = findSalesforceAuthError(error);
	if (authError)
		return authError.isAuthenticationFailure || LASTING_LOGIN_FAILURES.has(authError.reason);
	const restError = findSalesforceRestError(error);
	if (restError) {
		if (restError.retry || restError.dailyLimit) return false;
		if (restError.httpStatus === undefined) return restError.code === 'INVALID_INPUT';
		return restError.httpStatus >= 400 && restError.httpStatus < 500;
	}
	return error instanceof NodeOperationError;
}
