/**
 * Drives a StreamingSession the way the node's adapter does, with Salesforce's answers scripted:
 * each step checks the request the session asks to send, then gives it an answer (or none).
 */
import {
	changeEventsChannel,
	StreamingSession,
	type BayeuxMessage,
	type BayeuxRequest,
	type StreamEvent,
	type StreamingAction,
	type StreamingSessionOptions,
} from '../../../../nodes/salesforce';

export const DATE = 'Tue, 01 Dec 2026 10:00:00 GMT';
export const ACTIVATED = Date.parse('2026-12-01T10:00:00.000Z');
export const ACCOUNT = changeEventsChannel('Account');

export function newSession(options: Partial<StreamingSessionOptions> = {}): StreamingSession {
	return new StreamingSession({
		channel: ACCOUNT,
		apiVersion: '62.0',
		stored: undefined,
		replayFrom: 'new',
		now: () => ACTIVATED + 60_000,
		...options,
	});
}

/** Salesforce's successful handshake reply (Streaming API Developer Guide, "Handling Streaming API Errors" examples). */
export function handshakeOk(id: string, clientId = 'client1'): BayeuxMessage {
	return {
		channel: '/meta/handshake',
		id,
		clientId,
		version: '1.0',
		minimumVersion: '1.0',
		supportedConnectionTypes: ['long-polling'],
		successful: true,
		ext: { replay: true, 'payload.format': true },
	};
}

export function subscribeOk(
	id: string,
	subscription = ACCOUNT.path,
	clientId = 'client1',
): BayeuxMessage {
	return { channel: '/meta/subscribe', id, clientId, subscription, successful: true };
}

export function connectOk(id: string, clientId = 'client1'): BayeuxMessage {
	return {
		channel: '/meta/connect',
		id,
		clientId,
		successful: true,
		advice: { reconnect: 'retry', interval: 0, timeout: 110000 },
	};
}

export function failed(
	channel: string,
	id: string,
	error: string,
	extra: Partial<BayeuxMessage> = {},
): BayeuxMessage {
	return { channel, id, successful: false, error, ...extra };
}

/** An Account change event as the Streaming API delivers it. */
export function accountChange(
	replayId: number,
	name: string,
	commitTimestamp = ACTIVATED + replayId,
): BayeuxMessage {
	return {
		channel: ACCOUNT.path,
		data: {
			schema: 's1',
			payload: {
				ChangeEventHeader: {
					entityName: 'Account',
					recordIds: [`001${String(replayId).padStart(15, '0')}`],
					changeType: 'UPDATE',
					changedFields: ['Name'],
					commitTimestamp,
					commitUser: '005000000000001AAA',
					transactionKey: `t${replayId}`,
					sequenceNumber: 1,
				},
				Name: name,
			},
			event: { replayId },
		},
	};
}

export class Conversation {
	action: StreamingAction;

	/** Every request sent, in order. */
	readonly sent: BayeuxRequest[] = [];

	constructor(readonly session: StreamingSession) {
		this.action = session.start();
	}

	/** The request the session wants sent now (and the wait before it). */
	get request(): BayeuxRequest {
		if (this.action.kind !== 'send')
			throw new Error(`expected a send, got ${JSON.stringify(this.action)}`);
		return this.action.request;
	}

	get delayMs(): number {
		if (this.action.kind === 'stop') throw new Error('the session stopped');
		return this.action.delayMs;
	}

	/** The one message of the current request. */
	get message(): BayeuxMessage {
		return this.request.body[0];
	}

	/** Sends the current request and answers it with `messages` (HTTP 200 unless said otherwise). */
	answer(messages: unknown, status = 200, headers: Record<string, unknown> = { date: DATE }): this {
		this.sent.push(this.request);
		this.action = this.session.answered({ status, body: messages, headers });
		return this;
	}

	/** Sends the current request, which gets no answer (connection reset, timeout). */
	noAnswer(): this {
		this.sent.push(this.request);
		this.action = this.session.noAnswer();
		return this;
	}

	/** Handshake, subscribe and the first connect, all successful. */
	connect(clientId = 'client1'): this {
		this.answer([handshakeOk(this.message.id as string, clientId)]);
		this.answer([subscribeOk(this.message.id as string, this.session.channel.path, clientId)]);
		return this;
	}

	/** Emits every queued event the way the node does: stored replay written first, delivered once n8n has it. */
	emitAll(): Array<{ stored: unknown; event: StreamEvent }> {
		const emitted: Array<{ stored: unknown; event: StreamEvent }> = [];
		for (let event = this.session.takeEvent(); event; event = this.session.takeEvent()) {
			emitted.push({ stored: this.session.storedReplay(), event });
			this.session.delivered(event);
		}
		return emitted;
	}
}
