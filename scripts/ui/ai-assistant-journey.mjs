// Part 3 of `npm run test:ui`: examples/ai-assistant-whatsapp.json in n8n's editor. Imported as a user
// imports it (⋯ → Import → From file), its nodes and the agent's model and edna tool on the canvas, the
// tool's parameters, the credentials chosen node by node, published; then a customer writes on the
// sandbox's conversation page and the agent's answer, sent by the edna Pulse tool, appears there. The
// agent's model is the scripted OpenAI-compatible one (scripts/lib/scripted-model.mjs), reached through
// an OpenAI credential whose Base URL points at it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { REPO_ROOT } from '../lib/n8n/index.mjs';
import {
	NODE_TYPE,
	SANDBOX_CREDENTIAL,
	$,
	check,
	exactly,
	log,
	settle,
	testid,
} from './common.mjs';
import { executionPreview, publish } from './editor.mjs';
import { edges, shoot } from './report.mjs';

export const EXAMPLE_FILE = path.join(REPO_ROOT, 'examples', 'ai-assistant-whatsapp.json');
/** What the scripted model answers the customer, through the example's edna Pulse tool. */
export const AGENT_ANSWER = 'Hello Alex! Your parcel A-2002 arrives on Friday.';
export const CUSTOMER_TEXT = 'Hi! When does my parcel arrive?';
export const MODEL_CREDENTIAL = 'Scripted model';
const TOOL_TYPE = 'n8n-nodes-edna-pulse.ednaPulseTool';

/** The scripted model's part: call the agent's one tool with the answer, then close the turn. */
export function answerThroughTool(request) {
	if (request.messages.at(-1)?.role === 'tool') return { content: 'Answered on WhatsApp.' };
	const name = request.tools?.[0]?.function?.name;
	return { toolCalls: [{ name, arguments: { text: AGENT_ANSWER } }] };
}

async function readExample() {
	const example = JSON.parse(await readFile(EXAMPLE_FILE, 'utf8'));
	const nodes = example.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
	const byType = (type) => nodes.find((n) => n.type === type);
	const tool = byType(TOOL_TYPE);
	const model = byType('@n8n/n8n-nodes-langchain.lmChatOpenAi');
	const agent = byType('@n8n/n8n-nodes-langchain.agent');
	check(tool && model && agent, `${EXAMPLE_FILE} lacks its agent, model or edna tool`);
	return { example, nodes, tool, model, agent };
}

/** ⋯ → Import → From file on a new workflow, the file picked in the browser's file dialog. */
async function importFromFile(page) {
	await page.goto('/workflow/new');
	await page.locator($('canvas-add-button')).waitFor({ timeout: 60_000 });
	await page.locator($('workflow-menu')).click();
	await page.getByRole('menuitem', { name: /^Import$/ }).hover();
	const [chooser] = await Promise.all([
		page.waitForEvent('filechooser'),
		page.getByRole('menuitem', { name: /^From file$/ }).click(),
	]);
	await chooser.setFiles(EXAMPLE_FILE);
}

const canvasNode = (page, name) => page.locator(`${$('canvas-node')}[data-node-name="${name}"]`);
const edge = (page, from, to) =>
	page.locator(`${$('edge')}[data-source-node-name="${from}"][data-target-node-name="${to}"]`);

/** Every node of the example on the canvas, by name, and the agent's model and tool connected to it. */
async function checkCanvas(page, { nodes, tool, model, agent }) {
	const names = nodes.map((n) => n.name);
	const shown = await settle(
		() =>
			page
				.locator(`${$('canvas-node')}[data-node-name]`)
				.evaluateAll((all) => all.map((n) => n.getAttribute('data-node-name'))),
		(list) => names.every((n) => list.includes(n)),
		(list) => `the canvas shows [${list.join(', ')}], expected [${names.join(', ')}]`,
		20_000,
	);
	for (const name of names) {
		const label = await canvasNode(page, name).innerText();
		check(label.includes(name), `the node "${name}" is labelled "${label.trim()}" on the canvas`);
	}
	for (const [from, what] of [
		[model.name, 'model'],
		[tool.name, 'tool'],
	]) {
		check(
			(await edge(page, from, agent.name).count()) === 1,
			`the ${what} "${from}" is not connected to "${agent.name}" on the canvas`,
		);
	}
	// Under the agent: the model and the tool sit below it, the tool on its Tool input.
	const [agentBox, toolBox] = [
		await canvasNode(page, agent.name).boundingBox(),
		await canvasNode(page, tool.name).boundingBox(),
	];
	check(
		toolBox.y > agentBox.y + agentBox.height,
		`the tool "${tool.name}" is not drawn under "${agent.name}"`,
	);
	const toolHandle = canvasNode(page, agent.name).locator('[data-handle-type="ai_tool"]');
	if ((await toolHandle.count()) > 0) {
		const label = (await toolHandle.first().innerText()).trim();
		check(/Tool/i.test(label), `the agent's tool input is labelled "${label}"`);
	}
	log(
		`  on the canvas: ${shown.join(', ')}; "${model.name}" and "${tool.name}" connected to "${agent.name}"`,
	);
}

/** Opens a node from the canvas; returns its parameter panel. */
async function openNode(page, name) {
	await canvasNode(page, name).dblclick();
	const ndv = page.locator($('ndv'));
	await ndv.waitFor();
	const title = (await ndv.locator($('node-title-container')).innerText()).trim();
	check(title === name, `opened "${name}", the panel's title is "${title}"`);
	return ndv;
}

async function closeNode(page) {
	await page.locator($('ndv-close-button')).click();
	await page.locator($('ndv')).waitFor({ state: 'hidden' });
}

/** Chooses the credential `credentialName` in the open node's credential select. */
async function chooseCredential(page, ndv, credentialName) {
	const select = ndv.locator($('node-credentials-select'));
	await select.click();
	const option = page
		.locator('[data-test-id^="node-credentials-select-item-"]:visible')
		.filter({ hasText: credentialName });
	await option.first().click();
	await settle(
		() => select.locator('input').inputValue(),
		(value) => value === credentialName,
		(value) => `the node uses the credential "${value}", not "${credentialName}"`,
	);
}

/** The edna Pulse tool as the user sees it: the model-facing description and what it sends. */
async function checkTool(page, tool) {
	const ndv = await openNode(page, tool.name);
	const input = async (parameter) =>
		ndv
			.locator(`${$(`parameter-input-${parameter}`)} input`)
			.first()
			.inputValue();
	const [resource, operation] = [await input('resource'), await input('operation')];
	check(
		resource === 'Message' && operation === 'Reply',
		`the tool shows Resource "${resource}", Operation "${operation}", not Message → Reply`,
	);
	const description = await ndv
		.locator(`${$('parameter-input-toolDescription')} textarea`)
		.inputValue();
	check(
		description === tool.parameters.toolDescription,
		`the tool's description shows "${description}"`,
	);
	// Reply Text is the model's to fill in: a $fromAI() expression, shown as it is.
	const text = ndv.locator($('parameter-item')).filter({
		has: page.locator($('input-label'), { hasText: /^\s*Reply Text/ }),
	});
	await text.waitFor();
	const textShown = (await text.locator($('parameter-input-text')).innerText())
		.replace(/\s+/g, ' ')
		.trim();
	check(
		textShown.replace(/\s/g, '') === tool.parameters.text.replace(/^=/, '').replace(/\s/g, ''),
		`the tool's Reply Text shows "${textShown}", not the example's $fromAI() expression`,
	);
	await chooseCredential(page, ndv, SANDBOX_CREDENTIAL);
	log(
		`  "${tool.name}": Message → Reply, its description for the model, Reply Text ${textShown}; credential "${SANDBOX_CREDENTIAL}"`,
	);
	await closeNode(page);
}

/** The example's other nodes with credentials: the edna ones get the sandbox's, the model its own. */
async function chooseCredentials(page, { nodes, tool }) {
	for (const node of nodes) {
		if (!node.credentials || node.name === tool.name) continue;
		const name = node.credentials.openAiApi ? MODEL_CREDENTIAL : SANDBOX_CREDENTIAL;
		const ndv = await openNode(page, node.name);
		await chooseCredential(page, ndv, name);
		await closeNode(page);
		log(`  "${node.name}": credential "${name}"`);
	}
	await settle(
		() => page.locator(`${$('canvas-node')} ${$('node-issues')}`).count(),
		(n) => n === 0,
		(n) => `${n} node(s) still show issues on the canvas`,
	);
}

/** The whole workflow on screen, its sticky note included: the README's picture. */
async function shootCanvas(page, agentName) {
	await page.locator($('zoom-to-fit')).click();
	// The zoom animates: the picture waits until the nodes stop moving.
	let last = '';
	await settle(
		async () => JSON.stringify(await canvasNode(page, agentName).boundingBox()),
		(box) => {
			const still = box === last;
			last = box;
			return still;
		},
		() => 'the canvas kept moving after "Zoom to fit"',
	);
	// The canvas below the editor's Editor / Executions switch.
	const canvas = await edges(page.locator($('canvas-wrapper')));
	const tabs = await edges(page.locator($('radio-button-executions')));
	await shoot(page, 'ai-assistant.png', { ...canvas, top: tabs.bottom + 8 });
}

/**
 * The whole part, on a page signed in to the editor, with the sandbox's credential and the model's
 * credential created and the scripted model answering `answerThroughTool`.
 */
export async function aiAssistantJourney(page, { api, instance, sandbox, model, recorder }) {
	const parts = await readExample();
	recorder?.mark(page, 'ai');
	log(`import examples/${path.basename(EXAMPLE_FILE)} from file`);
	await importFromFile(page);
	await checkCanvas(page, parts);

	log('the edna Pulse tool and the credentials');
	await checkTool(page, parts.tool);
	await chooseCredentials(page, parts);

	log('save and publish');
	await page.keyboard.press('Control+s');
	await page.waitForURL(/\/workflow\/(?!new)[^/?]+/);
	const workflowId = /\/workflow\/([^/?]+)/.exec(page.url())[1];
	const saved = await settle(
		() => api.getWorkflow(workflowId).catch(() => null),
		(w) =>
			w?.name === parts.example.name &&
			w.nodes.filter((n) => n.credentials).every((n) => Object.values(n.credentials)[0]?.id),
		(w) => `workflow not saved with its credentials: ${JSON.stringify(w?.nodes ?? w)}`,
		20_000,
	);
	await publish(page);
	const trigger = saved.nodes.find((n) => n.type === NODE_TYPE);
	const url = instance.webhookUrl(trigger.webhookId, 'webhook');
	log(`  saved as "${saved.name}" and published; trigger URL ${url}`);
	await shootCanvas(page, parts.agent.name);
	recorder?.mark(page, 'ai-published');

	// The user pastes the URL into edna's "Webhook URL for incoming messages": the sandbox's console.
	sandbox.webhooks.register({ field: 'inMessageCallbackUrl', url });

	log('a customer writes on the sandbox page; the agent answers');
	const chatPage = await page.context().newPage();
	try {
		await recorder?.start(chatPage, 'ai-assistant-chat');
		await chatPage.setViewportSize({ width: 1200, height: 640 });
		chatPage.setDefaultTimeout(30_000);
		await chatPage.goto(`${sandbox.url}/`);
		const phone = chatPage.locator(`${testid('phone-item')}[aria-current="true"]`);
		await phone.waitFor();
		const messages = chatPage.locator(testid('message'));
		const withText = (text) =>
			messages.filter({
				has: chatPage.locator(testid('message-text'), { hasText: exactly(text) }),
			});
		const asked = model.requests.length;
		const composer = chatPage.locator(testid('composer-input'));
		// A recording shows the customer typing; otherwise the text is filled in at once.
		if (recorder) await composer.pressSequentially(CUSTOMER_TEXT, { delay: 45 });
		else await composer.fill(CUSTOMER_TEXT);
		await chatPage.locator(testid('send')).click();
		await withText(CUSTOMER_TEXT).and(chatPage.locator('[data-direction="in"]')).waitFor();
		await chatPage
			.locator(testid('notice'))
			.filter({ hasText: 'webhook answered 200' })
			.waitFor({ timeout: 15_000 });
		log(`  ${(await phone.innerText()).trim()} wrote "${CUSTOMER_TEXT}"; the trigger answered 200`);
		// The example waits 5 s for more messages, reads the conversation, then asks the agent.
		const reply = withText(AGENT_ANSWER).and(chatPage.locator('[data-direction="out"]'));
		await reply.waitFor({ timeout: 90_000 }).catch(async () => {
			const chat = (await chatPage.locator(testid('chat')).innerText()).replace(/\s+/g, ' ');
			check(false, `no agent answer "${AGENT_ANSWER}" within 90 s; the chat shows: ${chat}`);
		});
		const prompt = model.requests[asked]?.messages?.at(-1)?.content;
		check(
			prompt === CUSTOMER_TEXT,
			`the agent was asked ${JSON.stringify(prompt)}, not the customer's message`,
		);
		await settle(
			() => reply.locator(testid('ticks')).getAttribute('data-status'),
			(status) => status === 'READ',
			(status) => `the agent's answer shows ${status}, not READ`,
			30_000,
		);
		log(`  the agent's answer appeared on the page and was read: "${AGENT_ANSWER}"`);
		await recorder?.stop(chatPage);
	} finally {
		await chatPage.close();
	}

	log("the trigger's execution in the editor");
	recorder?.mark(page, 'executions');
	const [execution] = await api.waitForExecutions(workflowId, 1, { timeoutMs: 30_000 });
	check(
		execution.status === 'success',
		`the example's execution ${execution.id}: ${execution.status}`,
	);
	await showExecution(page, workflowId, execution.id, parts);
	recorder?.mark(page, 'executions-done');
}

/** Executions → the run the customer's message started: every node of the example ran, the tool too. */
async function showExecution(page, workflowId, executionId, { nodes }) {
	const host = await executionPreview(page, workflowId, executionId);
	const ran = nodes.map((n) => n.name);
	const succeeded = await settle(
		() =>
			host
				.locator(`${$('canvas-node')}[data-node-name]`)
				.filter({ has: page.locator($('canvas-node-status-success')) })
				.evaluateAll((all) => all.map((n) => n.getAttribute('data-node-name'))),
		(list) => ran.every((n) => list.includes(n)),
		(list) => `the execution shows [${list.join(', ')}] as succeeded, expected [${ran.join(', ')}]`,
		20_000,
	);
	const checklist = page.locator($('suggested-actions-close'));
	if (await checklist.isVisible()) await checklist.click(); // n8n's "Production checklist" pop-over
	log(`  execution ${executionId}: ${succeeded.length} nodes succeeded, the edna tool among them`);
}
