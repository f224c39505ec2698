import type { StandinRestFault, StandinRestFaultOptions } from '../types';
import { asApiErrors, RestError, UNABLE_TO_LOCK_ROW } from './errors';

/**
 * Injected REST failures, for the retry rules the node must follow (fact sheet §6, §8):
 * 503 SERVER_UNAVAILABLE and 400 UNABLE_TO_LOCK_ROW are worth a bounded retry, the concurrent
 * request limit (403 REQUEST_LIMIT_EXCEEDED "ConcurrentRequests ...") a back-off. A faulted request
 * does nothing to the data, so a retry is always safe. Also: ending every session after N more
 * REST requests, to kill a session between two pages of a query.
 */

export function faultError(fault: StandinRestFault): RestError {
	switch (fault.kind) {
		case 'server-unavailable':
			return new RestError(503, [
				{
					message: 'Server temporarily unavailable. Please try again later.',
					errorCode: 'SERVER_UNAVAILABLE',
				},
			]);
		case 'unable-to-lock-row':
			return new RestError(400, asApiErrors([UNABLE_TO_LOCK_ROW]));
		case 'concurrent-limit':
			return new RestError(403, [
				{
					message: 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
					errorCode: 'REQUEST_LIMIT_EXCEEDED',
				},
			]);
		case 'error':
			return new RestError(fault.status, [
				{
					message: fault.message,
					errorCode: fault.errorCode,
					...(fault.fields ? { fields: fault.fields } : {}),
				},
			]);
	}
}

export class RestFaults {
	private fault: StandinRestFault | undefined;
	private options: StandinRestFaultOptions = {};
	private remaining: number | undefined;
	private sessionsLeft: number | undefined;

	set(fault: StandinRestFault | undefined, options: StandinRestFaultOptions = {}): void {
		const times = options.times;
		this.fault = times !== undefined && times <= 0 ? undefined : fault;
		this.options = options;
		this.remaining = this.fault ? times : undefined;
	}

	/** The fault for this request, if it applies (and uses up one of its `times`). */
	take(method: string, path: string): StandinRestFault | undefined {
		const fault = this.fault;
		if (!fault) return undefined;
		if (this.options.method && this.options.method.toUpperCase() !== method.toUpperCase())
			return undefined;
		if (this.options.path && !this.options.path.test(path)) return undefined;
		if (this.remaining !== undefined && --this.remaining <= 0) this.set(undefined);
		return fault;
	}

	expireSessionsAfter(requests: number | undefined): void {
		this.sessionsLeft = requests !== undefined && requests > 0 ? requests : undefined;
	}

	/** Called once per answered REST request: true when every session must end now. */
	requestDone(): boolean {
		if (this.sessionsLeft === undefined) return false;
		if (--this.sessionsLeft > 0) return false;
		this.sessionsLeft = undefined;
		return true;
	}
}
