/**
 * The Streaming API core of the Salesforce Event Trigger: channels from the node's parameters,
 * Bayeux messages, the session state machine, replay bookkeeping, event items and the record-fetch
 * plan. No n8n, no I/O, no timers: the node's adapter sends what the session asks for, sleeps when
 * it says so, and emits what it hands over. How the adapter drives it:
 *
 *   const channel = resolveChannel(choice);                     // throws, naming the parameter
 *   const session = new StreamingSession({ channel, apiVersion, stored: staticData.replay, replayFrom, now: Date.now });
 *   let action = session.start();
 *   while (action.kind !== 'stop') {
 *     await sleepWithAbort(action.delayMs, signal);
 *     if (action.kind === 'renewSession') { action = await renew() ? session.sessionRenewed() : session.renewalFailed(error); continue; }
 *     const answer = await post(action.request);              // any HTTP status; throw only when no answer came
 *     action = answer ? session.answered(answer) : session.noAnswer();
 *     for (const notice of session.takeNotices()) …             // windowLost → saveFailedExecution, before the events
 *     for (let event = session.takeEvent(); event; event = session.takeEvent()) {
 *       staticData.replay = session.storedReplay();             // n8n saves it at the emit
 *       emit([[{ json: event.item }]], undefined, done, deliveryKey(scope, channel.path, event.replayId));
 *       await done.promise; session.delivered(event);           // in order, one at a time
 *     }
 *   }
 *   // deactivation: abort the outstanding request, then send what session.stop() returns (best effort).
 *
 * The first handshake and subscription happen before `trigger()` returns, so a stop then fails the
 * activation with its message; `isEstablished` says when that point has passed, and then
 * `staticData.replay = session.storedReplay()` (n8n saves static data after the activation: a
 * "Replay From: new" activation keeps its starting point that way). The adapter itself:
 * nodes/SalesforceEventTrigger/subscription.ts, sending through nodes/client/streaming.ts.
 */
export * from './bayeux';
export * from './channels';
export * from './cookies';
export * from './events';
export * from './explain';
export * from './recordFetch';
export * from './replay';
export * from './session';
export * from './streamingErrors';
