import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { checkApiKey } from '../transport/credentialCheck';

/**
 * The credential test both nodes name in `testedBy`. The webhook key is checked locally (edna has
 * nothing to test it against); the API key, when set, by asking edna for the channels.
 */

const field = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Why a key could never work as typed, or undefined. `what` names it in the message. */
export function keyShapeProblem(key: string, what: string): string | undefined {
	if (/\s/.test(key)) return `The ${what} contains spaces: copy it again from edna Pulse.`;
	// HTTP headers carry bytes, not text: a key with other characters could never match.
	if (!/^[\x21-\x7e]+$/.test(key)) {
		return `The ${what} contains characters an HTTP header cannot carry (only printable ASCII): copy it again from edna Pulse.`;
	}
	return undefined;
}

const WEBHOOK_KEY_SAVED =
	'The key is saved. edna has no endpoint to test it against: send a test event from edna, and a wrong key shows up as 403.';

export async function ednaPulseApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const webhookKey = field(data.webhookKey);
	const apiKey = field(data.apiKey);
	if (webhookKey === '' && apiKey === '') {
		return {
			status: 'Error',
			message:
				'Enter the webhook key from edna Pulse (for the edna Pulse Trigger), the API key (for the edna Pulse node), or both.',
		};
	}
	const shape =
		(webhookKey === '' ? undefined : keyShapeProblem(webhookKey, 'webhook key')) ??
		(apiKey === '' ? undefined : keyShapeProblem(apiKey, 'API key'));
	if (shape !== undefined) return { status: 'Error', message: shape };
	if (apiKey === '') return { status: 'OK', message: WEBHOOK_KEY_SAVED };

	// n8n gives credential tests only its legacy `request` helper (n8n-core CredentialTestContext has
	// no httpRequest), so that is the one used here.
	const helpers = this.helpers;
	const check = await checkApiKey(async (options) => await helpers.request(options), field(data.baseUrl), apiKey);
	if (!check.ok) return { status: 'Error', message: check.message };
	const webhookNote =
		webhookKey === ''
			? ' No webhook key is set: the edna Pulse Trigger needs one.'
			: ' The webhook key is saved; edna has no endpoint to test it against.';
	return { status: 'OK', message: `${check.message}${webhookNote}` };
}
