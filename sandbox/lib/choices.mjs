// Every behaviour of the sandbox that edna's documentation does not settle is decided here and
// nowhere else, so it can be corrected in one place when real traffic shows otherwise. The sandbox
// README ("Choices where edna's docs are silent") lists each of these with its reason. The action node
// (nodes/EdnaPulse/) is built to the same choices: change both together.

/** API key method groups (docs-pulse …/integrations/api/key-settings) and the paths in each (§1.3, gap 14). */
export const METHOD_GROUPS = {
	'cascade/schedule': 'messaging',
	'v1/out-messages/whatsapp/template': 'messaging',
	'v1/out-messages/viber/template': 'messaging',
	'in-message/change-status': 'read receipts',
	'messages/history': 'message history',
	'message-matchers/get-by-request': 'templates',
	'callback/set': 'webhooks',
	'channel-profile': 'channels',
	'cascade/get-all': 'cascades',
};

/** 403 body for an additional key used outside its groups or channels (gap 14: 403 is inferred). */
export const forbidden = (what) => ({
	title: 'forbidden',
	status: 403,
	detail: `The API key has no access to ${what}`,
});

/**
 * A restricted key may set callback URLs only for its own channels: without `subjectId` the call
 * would set them for every channel of the account, so it is refused.
 */
export const RESTRICTED_KEY_MAY_SET_ALL_CHANNEL_CALLBACKS = false;

/** Unknown path and wrong method are answered before the key is checked, as a gateway would. */
export const ROUTE_BEFORE_AUTH = true;

/** How long a `requestId` / v1 `messageId` stays taken, in edna seconds: edna names no window. */
export const ID_UNIQUE_WINDOW_S = Infinity;

/**
 * A v1 `messageId` used before is refused with `messageId-is-not-unique`, as a used requestId is.
 * edna documents no such refusal for v1 (docs/edna-api.md §7.3), so a client must not rely on it:
 * `v1MessageIdUnique: false` (start option, setLimits, --v1-message-id-not-unique) accepts the
 * messageId again, as a new message.
 */
export const V1_MESSAGE_ID_UNIQUE = true;

/** Codes edna does not document, for checks it must make somehow. */
export const CODES = {
	requestIdMissing: 'requestId-not-specified',
	addressMissing: 'cascade-scheduling-request-not-valid', // with a detail naming subscriberFilter
	attachmentUrlMissing: 'attachmentUrl-not-specified',
	flowIdMissing: 'flowId-not-specified',
	unknownContentType: 'cascade-scheduling-request-not-valid',
	cascadeDisabled: 'cascade-not-found', // a DISABLED cascade cannot be used; edna names no own code
	// v1 template endpoints: gap 3
	messageIdNotUnique: 'messageId-is-not-unique',
	senderNotFound: 'sender-not-found',
	templateNotFound: 'template-not-found',
	templateNotApproved: 'template-not-approved',
	templateVariablesMismatch: 'template-variables-mismatch',
	phoneMissing: 'phone-not-specified',
	attachmentRequired: 'attachment-required',
	// read receipts
	inMessageNotFound: 'in-message-not-found',
	statusNotValid: 'status-not-valid',
	// message-matchers
	subjectIdMissing: 'subjectId-not-specified',
	// history
	dateNotValid: 'date-not-valid',
};

/** v1 template answer (gap 3): the messageId sent (or generated) and edna's numeric id. */
export const v1Answer = (message) => ({
	messageId: message.v1MessageId,
	outMessageId: message.messageId,
});

/** The v1 `messageId` is the `requestId` of that message's status webhooks (gap 5). */
export const V1_MESSAGE_ID_IS_STATUS_REQUEST_ID = true;

/** Status webhook fields of a v1 send, which has no cascade. */
export const V1_CASCADE = { cascadeId: null, cascadeStageUUID: null };

/**
 * A message a person writes in edna's chat centre (sandbox.operator.send): edna documents nothing
 * about such messages in history; the sandbox gives them no comment, cascade or requestId, the
 * fields an API send may carry.
 */
export const OPERATOR_MESSAGE = { api: 'chat-centre', comment: null, requestId: null, cascadeId: null, cascadeStageUUID: null };

/**
 * Seconds between one status and the next (at speed 1). The next status is produced only after
 * the previous status webhook's first attempt was answered, so a receiver sees them in order.
 */
export const STATUS_DELAYS_S = { SENT: 1, DELIVERED: 2, READ: 3 };

/** Failures at `failureRate`: alternately UNDELIVERED after SENT, and FAILED instead of SENT. */
export const FAILURES = [
	{ status: 'UNDELIVERED', error: 'user-blocked', afterSent: true },
	{ status: 'FAILED', error: 'error-system', afterSent: false },
];

/** edna: "You cannot send a duplicate message within 20 minutes. Duplicate messages will be canceled." */
export const DUPLICATE_WINDOW_S = 20 * 60;
export const DUPLICATE_STATUS = { status: 'CANCELLED', error: 'duplicate-message' };

/**
 * 24 h WhatsApp session window (gap 11): free-form (non-template) WhatsApp content to a phone that
 * has not written in the last 24 h is accepted with 200, then fails with this status. A cascade with
 * a next stage falls through to it. Switch off with start({ sessionWindow: false }).
 */
export const SESSION_WINDOW_S = 24 * 60 * 60;
export const SESSION_CLOSED_STATUS = { status: 'FAILED', error: 'outside-session-window' };

/** edna's retry schedule for webhooks (docs/edna-api.md §W1.4, current pages): 3 retries. */
export const WEBHOOK_RETRY_S = [4, 128, 2048];
/** Webhook request timeout (not documented, docs/edna-api.md §W1.6); not scaled by speed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/**
 * A refused callback/set: edna's `{"code": "<error>"}` (docs/edna-api.md §5.1, seen in third-party code) with
 * this HTTP status; the documents do not say which. Success is 200 `{"code": "ok"}`.
 */
export const CALLBACK_ERROR_STATUS = 400;
/** callback/set checks each URL with one HEAD and answers at once; no retries inside the call. */
export const HEAD_TIMEOUT_MS = 5_000;

/**
 * Field names for the two webhook kinds that callback/set cannot set (gap 7). Only the sandbox
 * config (start option `webhooks`, `--webhooks` file) knows them.
 */
export const CALLBACK_FIELDS = {
	statusCallbackUrl: 'messageStatus',
	inMessageCallbackUrl: 'incomingMessage',
	messageMatcherCallbackUrl: 'templateStatus',
	templateCategoryCallbackUrl: 'templateCategory',
	linkClickCallbackUrl: 'linkClick',
};
export const API_CALLBACK_FIELDS = [
	'statusCallbackUrl',
	'inMessageCallbackUrl',
	'messageMatcherCallbackUrl',
];

// URLs from the config (start option `webhooks`) are registered without the HEAD check: the
// receiver may start after the sandbox.

/** messages/history paging: limit 0/missing → 100, above 1000 → 1000. */
export const HISTORY_LIMIT = { default: 100, max: 1000 };
/** Incoming messages in history have no delivery status. */
export const HISTORY_IN_DELIVERY_STATUS = null;

/** WhatsApp paymentData on status webhooks: conversation type = template category, else "service". */
export const paymentData = (message) =>
	message.channelType === 'WHATSAPP'
		? {
				'@type': 'WhatsAppConversationPaymentData',
				conversationId: `sandbox-conversation-${message.address}`,
				conversationType: (message.templateCategory ?? 'service').toLowerCase(),
				chargeable: Boolean(message.templateCategory && message.templateCategory !== 'SERVICE'),
				type: 'WHATSAPP_CONVERSATION',
			}
		: null;

/** First numbers of edna-side ids; outgoing and incoming ids never collide. */
export const ID_START = { outMessage: 9_000_001, inMessage: 100_001, subscriber: 50_001 };

// --- Requests edna's docs do not say how it answers -------------------------------------------

/**
 * A request body that is not a JSON object (not JSON at all, an array, a number) is refused before
 * the endpoint looks at it, with this 400 body; edna names no code for it.
 */
export const NOT_READABLE = {
	title: 'request-body-not-readable',
	status: 400,
	detail: 'The request body is not valid JSON.',
};

/** The 429 body of a fault and of the rate limit (edna documents no rate-limit answer). */
export const TOO_MANY = {
	title: 'too-many-requests',
	status: 429,
	detail: 'Too many requests. Try again later.',
};

// --- Rate limit (gap 9: edna documents no rate, no 429, no Retry-After) --------------------------

/**
 * The rate limit (start option `rateLimit`, off by default) counts the requests of these method
 * groups only: the sends (cascade/schedule, v1 template sends). One token bucket for the account,
 * whichever key calls. A request takes its token after the key and scope checks (401, 403, 404 and
 * 405 take none) and before anything else, so a send then refused for its body has used one. Over
 * the limit: 429 with TOO_MANY and `Retry-After`, nothing done, its requestId / messageId not taken.
 */
export const RATE_LIMITED_GROUPS = ['messaging'];

/**
 * `Retry-After` of a rate-limited 429: the HTTP delay-seconds form (not a date), the time until a
 * token is free in whole seconds, rounded up, at least 1.
 */
export const retryAfter = (waitMs) => String(Math.max(1, Math.ceil(waitMs / 1000)));

/** cascade/schedule: a `subscriberFilter` without `type` is read as a phone. */
export const SUBSCRIBER_TYPE_DEFAULT = 'PHONE';

/**
 * The phone of cascade/schedule's `subscriberFilter.address` and of a v1 send's `phone`: a leading
 * `+` is dropped (edna's examples have both forms), anything else is kept as sent. So
 * `357 9000 0100` is accepted, and is another address than `35790000100`.
 */
export const subscriberAddress = (value) => String(value).replace(/^\+/, '');

/** A `requestId` (or v1 `messageId`) sent as a number is accepted and used as its string. */
export const idOf = (value) => String(value);

/**
 * A refused request does not take its `requestId` (or v1 `messageId`): the same id can be sent
 * again once the request is right. Only an accepted request makes the id "already used".
 */
export const REFUSED_REQUEST_TAKES_ID = false;

/** Seconds until a `startTime`: one in the past is accepted and sends at once. */
export const startDelayS = (startMs, nowMs) => Math.max(0, (startMs - nowMs) / 1000);

/** A v1 `options.sendDelay` that is not an ISO-8601 duration (`PT10M`) is ignored: sent at once. */
export const UNREADABLE_SEND_DELAY_S = 0;

/**
 * v1 Viber templates have no header or URL-button variables: `headerVariables` and
 * `buttonVariables` sent to the Viber endpoint are ignored, not refused.
 */
export const V1_VARIABLE_LISTS = {
	WHATSAPP: ['textVariables', 'headerVariables', 'buttonVariables'],
	VIBER: ['textVariables'],
};

/**
 * `channel-profile?types=`: edna's docs show one upper-case value. The sandbox takes any case and
 * several comma-separated values (`types=SMS,whatsapp` lists both); an unknown type lists nothing.
 */
export const channelTypesOf = (query) =>
	(query ?? '')
		.split(',')
		.map((t) => t.trim().toUpperCase())
		.filter(Boolean);

/**
 * `message-matchers/get-by-request`: `subjectId` is read as a number, so `"101"` works as 101. An
 * unknown or unreadable one (`999`, `"abc"`) lists no templates (200 `[]`) for the master key; for
 * an additional key it is a channel outside the key: 403.
 */
export const templateSubjectId = (value) => Number(value);

/** A TEXT with an `attachment` still needs its `text` (edna ignores the text on WhatsApp). */
export const TEXT_WITH_ATTACHMENT_NEEDS_TEXT = true;

/** cascade/get-all: the last stage's nested `stages` is an empty array (not null, not absent). */
export const lastStageStages = () => [];
