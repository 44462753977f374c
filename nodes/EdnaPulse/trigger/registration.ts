import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	buildCallbackSetBody,
	CALLBACK_SET_PATH,
	callbackSetOutcome,
	type CallbackField,
} from '../transport/callbackSet';
import { eventDefinition, isEventKind } from './events/registry';
import { CREDENTIAL, ednaRequest, type EdnaProblem } from '../transport';

/**
 * The trigger's optional registration of its own Production URL in edna, through the same
 * `callback/set` body builder and transport as Webhook → Set URLs (docs/edna-api.md §5.1).
 */

export interface Registration {
	/** The `callback/set` field of the trigger's event. */
	field: CallbackField;
	/** The channel to register for; undefined: all channels of the account (docs/edna-api.md §5.1). */
	channel: { mode: string; value: string } | undefined;
}

export interface RegistrationParameters {
	event: unknown;
	authentication: unknown;
	options: IDataObject;
}

/**
 * What to register, read from the parameters as the editor shows them: nothing when the option
 * is off, when the event has no field in `callback/set` (category changes, link clicks, Any
 * Event), or without a credential (Authentication: None), since the option is hidden then.
 */
export function registrationOf({
	event,
	authentication,
	options,
}: RegistrationParameters): Registration | undefined {
	if (options.registerUrl !== true || authentication === 'none' || !isEventKind(event))
		return undefined;
	const field = eventDefinition(event).callbackField;
	if (field === undefined) return undefined;
	const channel = options.registerChannel;
	if (channel === undefined || channel === null) return { field, channel: undefined };
	if (typeof channel === 'object' && 'value' in channel) {
		const locator = channel as { mode?: unknown; value?: unknown };
		return {
			field,
			channel: { mode: String(locator.mode ?? 'id'), value: String(locator.value ?? '') },
		};
	}
	return { field, channel: { mode: 'id', value: String(channel) } };
}

/** The subjectId of the chosen channel, or a message saying why there is none. */
export function subjectIdOf(
	channel: Registration['channel'],
): { subjectId?: number } | { problem: string } {
	if (channel === undefined) return {};
	const value = channel.value.trim();
	if (value === '') {
		return {
			problem:
				'Channel to Register For is empty: pick a channel, or remove the option to register the URL for all channels.',
		};
	}
	if (!/^\d+$/.test(value))
		return {
			problem: `Channel to Register For "${value}" is not a channel ID (subjectId), which is a whole number.`,
		};
	return { subjectId: Number(value) };
}

const needs = (ctx: IHookFunctions, message: string, description: string) =>
	new NodeOperationError(ctx.getNode(), message, { description });

const TURN_OFF =
	'Or turn off Options → Register This URL in Edna Pulse and paste the Production URL into edna Pulse yourself.';

/**
 * Calls `callback/set` with this trigger's Production URL for its event. edna checks the URL with
 * HEAD before it accepts it (docs/edna-api.md §5.1); n8n has stored the workflow's webhooks before it calls
 * `create`, so the URL answers by then. Every refusal fails the publish: edna's code and hint from
 * the transport, or one of the messages here.
 */
export async function registerInEdna(
	ctx: IHookFunctions,
	registration: Registration,
): Promise<void> {
	const credential = (await ctx.getCredentials(CREDENTIAL)) as { apiKey?: unknown };
	if (typeof credential.apiKey !== 'string' || credential.apiKey.trim() === '') {
		throw needs(
			ctx,
			'Register This URL in Edna Pulse needs an API key, and the Edna Pulse API credential has none',
			`Add the API key from edna Pulse (Integration → Settings → Main profile, or an additional key with the "webhooks" method group) to the credential. ${TURN_OFF}`,
		);
	}
	const url = ctx.getNodeWebhookUrl('default');
	if (url === undefined || url === '') {
		throw needs(ctx, 'n8n gave no Production URL for this trigger', TURN_OFF);
	}
	const channel = subjectIdOf(registration.channel);
	if ('problem' in channel) throw needs(ctx, channel.problem, TURN_OFF);
	const built = buildCallbackSetBody({ [registration.field]: url }, channel.subjectId);
	if (!built.ok) {
		throw needs(
			ctx,
			built.message,
			`n8n builds the Production URL from N8N_WEBHOOK_URL. ${TURN_OFF}`,
		);
	}
	let answer: unknown;
	try {
		// callback/set sets a state, so the transport may repeat it on 429/5xx.
		answer = await ednaRequest<unknown>(ctx, {
			method: 'POST',
			path: CALLBACK_SET_PATH,
			body: built.body,
			kind: 'read',
		});
	} catch (error) {
		throw refusal(ctx, error);
	}
	const outcome = callbackSetOutcome(answer);
	if (!outcome.ok) {
		throw refusal(ctx, {
			context: { edna: { status: 200, title: outcome.code, detail: '' } },
			description: outcome.hint,
		});
	}
	ctx.logger.info(
		`edna Pulse Trigger: registered the Production URL in edna as ${registration.field} ${channel.subjectId === undefined ? 'for all channels' : `for channel ${channel.subjectId}`}`,
	);
}

/**
 * A failure of the call as the publish's error. n8n 2.41 shows only an error's message for a
 * failed publication (the publication status, the editor's "failed to activate"), so the message
 * carries edna's code and the hint the transport attached (transport/errors.ts).
 */
function refusal(ctx: IHookFunctions, error: unknown): NodeApiError {
	const failure = (typeof error === 'object' && error !== null ? error : {}) as {
		message?: unknown;
		description?: unknown;
		context?: { edna?: EdnaProblem };
	};
	const hint = typeof failure.description === 'string' ? failure.description : '';
	const problem = failure.context?.edna;
	const what =
		problem === undefined
			? String(failure.message ?? 'no answer')
			: problem.detail === ''
				? problem.title
				: `${problem.title}: ${problem.detail}`;
	return new NodeApiError(ctx.getNode(), { ...(problem ?? {}) } as unknown as JsonObject, {
		message: `edna Pulse did not register this trigger's URL: ${what}.${hint === '' ? '' : ` ${hint}`}`,
		// n8n 1.x reports a failed activation by its description alone: it names edna's answer too.
		description: `edna answered ${what}. ${hint} ${TURN_OFF}`.replace(/\s+/g, ' ').trim(),
		httpCode: problem !== undefined && problem.status > 0 ? String(problem.status) : undefined,
	});
}
