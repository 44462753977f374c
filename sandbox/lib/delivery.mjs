// What happens to an accepted message: statuses SENT → DELIVERED → READ (or UNDELIVERED/FAILED),
// each sent to the status webhook (https://docs-pulse.edna.io/docs/api/messages/sending: "sent,
// followed by delivered, read or undelivered … failed means … not sent"); duplicates within 20
// minutes are cancelled; a failed cascade stage falls through to the next one.
import { messageStatusBody } from './webhook-shapes.mjs';
import {
	DUPLICATE_STATUS,
	DUPLICATE_WINDOW_S,
	FAILURES,
	SESSION_CLOSED_STATUS,
	SESSION_WINDOW_S,
	STATUS_DELAYS_S,
	paymentData,
} from './choices.mjs';
import { outMessagesLike } from './messages.mjs';
import { channelBySubjectId } from './state.mjs';

export function createDelivery({ state, clock, webhooks, failureRate = 0, sessionWindow = true }) {
	if (!(failureRate >= 0 && failureRate <= 1))
		throw new Error('failureRate must be between 0 and 1');

	// Deterministic spread: delivery n fails when floor((n+1)·rate) > floor(n·rate).
	function nextFailure() {
		const n = state.deliveries++;
		if (Math.floor((n + 1) * failureRate) <= Math.floor(n * failureRate)) return null;
		return FAILURES[state.failures++ % FAILURES.length];
	}

	const isDuplicate = (message) =>
		outMessagesLike(state, message.contentKey).some(
			(m) =>
				m !== message &&
				m.deliveryStatus !== 'CANCELLED' &&
				clock.within(m.acceptedAtMs, DUPLICATE_WINDOW_S),
		);

	// WhatsApp free-form content needs a customer message within the last 24 h (choices.mjs).
	const sessionOpen = (message) =>
		!sessionWindow ||
		message.channelType !== 'WHATSAPP' ||
		message.isTemplate ||
		state.inMessages.some(
			(m) =>
				m.address === message.address &&
				m.subjectId === message.subjectId &&
				clock.within(m.receivedAtMs, SESSION_WINDOW_S),
		);

	async function emit(message, status, error = null) {
		message.deliveryStatus = status;
		message.statusAt = new Date().toISOString();
		message.statuses.push({ status, at: message.statusAt, error, subjectId: message.subjectId });
		state.version++;
		// with no URL for statuses there is no body to build
		if (!webhooks.urlFor('messageStatus', message.subjectId)) return;
		await webhooks.deliver(
			'messageStatus',
			message.subjectId,
			messageStatusBody({
				requestId: message.requestId,
				messageId: message.messageId,
				cascadeId: message.cascadeId,
				cascadeStageUUID: message.stageUuid,
				subject: message.subject,
				subjectId: message.subjectId,
				status,
				statusAt: message.statusAt,
				error,
				comment: message.comment ?? null,
				paymentData: paymentData(message),
			}),
		);
	}

	// Each step waits for the previous webhook's first answer, so statuses arrive in order.
	const step = (seconds, fn) => clock.after(seconds, () => void fn());

	function fallThrough(message) {
		const next = message.stageIndex + 1;
		if (!message.stages || next >= message.stages.length) return;
		const channel = channelBySubjectId(state, message.stages[next].subjectId);
		Object.assign(message, {
			stageIndex: next,
			stageUuid: message.stages[next].uuid,
			subjectId: channel.subjectId,
			subject: channel.subject,
			channelType: channel.type,
			content: message.stages[next].content,
			isTemplate: message.stages[next].isTemplate,
			templateId: message.stages[next].templateId,
			templateCategory: message.stages[next].templateCategory,
		});
		runStage(message);
	}

	function runStage(message) {
		if (!sessionOpen(message)) {
			step(STATUS_DELAYS_S.SENT, async () => {
				await emit(message, SESSION_CLOSED_STATUS.status, SESSION_CLOSED_STATUS.error);
				fallThrough(message);
			});
			return;
		}
		const failure = nextFailure();
		if (failure && !failure.afterSent) {
			step(STATUS_DELAYS_S.SENT, async () => {
				await emit(message, failure.status, failure.error);
				fallThrough(message);
			});
			return;
		}
		step(STATUS_DELAYS_S.SENT, async () => {
			await emit(message, 'SENT');
			if (failure) {
				step(STATUS_DELAYS_S.DELIVERED, async () => {
					await emit(message, failure.status, failure.error);
					fallThrough(message);
				});
				return;
			}
			step(STATUS_DELAYS_S.DELIVERED, async () => {
				await emit(message, 'DELIVERED');
				step(STATUS_DELAYS_S.READ, () => emit(message, 'READ'));
			});
		});
	}

	/** Starts the life of a message just accepted by the API, `delaySeconds` later (startTime, sendDelay). */
	function start(message, delaySeconds = 0) {
		message.acceptedAtMs = Date.now();
		const duplicate = isDuplicate(message);
		clock.after(delaySeconds, () => {
			if (duplicate)
				step(STATUS_DELAYS_S.SENT, () =>
					emit(message, DUPLICATE_STATUS.status, DUPLICATE_STATUS.error),
				);
			else runStage(message);
		});
	}

	return { start };
}
