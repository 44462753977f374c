// The edna API the sandbox answers under /api: one line per endpoint (docs/edna-api.md §0).
import { getAll } from './cascades.mjs';
import { callbackSet } from './callback.mjs';
import { channelProfile } from './channels.mjs';
import { history } from './history.mjs';
import { changeStatus } from './in-message.mjs';
import { schedule } from './schedule.mjs';
import { getByRequest } from './templates.mjs';
import { makeV1Template } from './v1-template.mjs';

export const ROUTES = {
	'channel-profile': { method: 'GET', handler: channelProfile },
	'cascade/get-all': { method: 'POST', handler: getAll, emptyBody: {} },
	'message-matchers/get-by-request': { method: 'POST', handler: getByRequest },
	'cascade/schedule': { method: 'POST', handler: schedule },
	'v1/out-messages/whatsapp/template': { method: 'POST', handler: makeV1Template('WHATSAPP') },
	'v1/out-messages/viber/template': { method: 'POST', handler: makeV1Template('VIBER') },
	'callback/set': { method: 'POST', handler: callbackSet },
	'messages/history': { method: 'POST', handler: history },
	'in-message/change-status': { method: 'POST', handler: changeStatus },
};
