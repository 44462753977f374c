// POST in-message/change-status (https://docs.edna.io/kb/api-edna-pulse-change-status, docs/edna-api.md §5.3):
// marks an incoming message as read; `status` "Valid values: read".
import { authorizeChannels } from '../auth.mjs';
import { CODES } from '../choices.mjs';
import { invalid } from '../errors.mjs';

export function changeStatus({ state, key, body }) {
	const message = state.inMessages.find((m) => m.id === Number(body.id));
	if (!message)
		throw invalid(CODES.inMessageNotFound, `Incoming message ${body.id ?? ''} not found.`);
	if (String(body.status ?? '').toUpperCase() !== 'READ')
		throw invalid(CODES.statusNotValid, 'Valid values of status: READ.');
	authorizeChannels(key, [message.subjectId]);
	message.readByBusiness = true;
	state.version++;
	return { status: 200, body: { code: 'ok' } };
}
