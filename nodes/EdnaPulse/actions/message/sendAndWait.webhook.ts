import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { answerOf, decisionOf, isLinkPreview, PAGES, type ResponseType } from './approval';

/**
 * The approver's side of Send and Wait for Response: n8n hands this a request to the waiting
 * execution's resume URL once it has checked the URL's signature (a link used after the execution
 * went on, or after its time limit, n8n answers itself and never reaches here). Each exit writes one
 * page and either records an answer (the execution goes on with `{ data }`) or records nothing (it
 * keeps waiting).
 */

/** Writes a page; n8n sends nothing of its own. */
function show(context: IWebhookFunctions, status: number, html: string): void {
	const res = context.getResponseObject();
	res.status(status);
	res.setHeader('Content-Type', 'text/html; charset=utf-8');
	res.setHeader('Cache-Control', 'no-store');
	res.setHeader('Referrer-Policy', 'no-referrer');
	res.setHeader('X-Robots-Tag', 'noindex');
	res.send(html);
}

/** A page, and nothing recorded: the execution keeps waiting. */
function nothingRecorded(context: IWebhookFunctions, status: number, html: string): IWebhookResponseData {
	show(context, status, html);
	return { noWebhookResponse: true };
}

/** A page, and the answer the execution goes on with. */
function recorded(context: IWebhookFunctions, html: string, data: IDataObject): IWebhookResponseData {
	show(context, 200, html);
	return { noWebhookResponse: true, workflowData: [[{ json: { data: { ...data, respondedAt: new Date().toISOString() } } }]] };
}

export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	// Messengers and SMS apps open a message's links to draw a preview: that is no one's answer.
	if (isLinkPreview(req.headers['user-agent'])) return nothingRecorded(this, 200, PAGES.preview());

	const responseType = this.getNodeParameter('responseType', 'approval') as ResponseType;
	if (responseType === 'freeText') {
		if (req.method !== 'POST') {
			const message = String(this.getNodeParameter('message', ''));
			const options = this.getNodeParameter('options', {}) as IDataObject;
			const text = (value: unknown, fallback: string) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback);
			return nothingRecorded(
				this,
				200,
				PAGES.form({
					title: text(options.responseFormTitle, 'Your answer'),
					description: text(options.responseFormDescription, message),
					buttonLabel: text(options.responseFormButtonLabel, 'Send'),
				}),
			);
		}
		const answer = answerOf(this.getBodyData());
		if (answer === undefined) return nothingRecorded(this, 400, PAGES.emptyAnswer());
		return recorded(this, PAGES.answered(), { text: answer });
	}

	const approved = decisionOf(this.getQueryData());
	if (approved === undefined) return nothingRecorded(this, 400, PAGES.incomplete());
	return recorded(this, approved ? PAGES.approved() : PAGES.declined(), { approved });
}
