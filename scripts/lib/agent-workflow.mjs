// n8n's own AI Agent answering edna customers, as a workflow stores it: the edna Pulse Trigger
// (Message Received) → AI Agent, with n8n's OpenAI Chat Model (its credential's Base URL pointed at
// any OpenAI-compatible endpoint, such as scripts/lib/scripted-model.mjs), a Simple Memory keyed by
// the trigger's sessionId, and the edna Pulse node as the agent's tool. Used by the end-to-end
// suites; every parameter is left at n8n's default where the trigger's fields make that work.
import { randomUUID } from 'node:crypto';

import { n8nMajor } from './n8n/common.mjs';
import { MODEL_ID } from './scripted-model.mjs';
import { CREDENTIAL_TYPE, triggerNode } from './trigger-workflow.mjs';

export const AGENT_NAME = 'AI Agent';
export const MODEL_NAME = 'OpenAI Chat Model';
export const MEMORY_NAME = 'Simple Memory';
export const TOOL_TYPE = 'n8n-nodes-edna-pulse.ednaPulseTool';
export const OPENAI_CREDENTIAL_TYPE = 'openAiApi';

/** An openAiApi credential whose Base URL is `url` (an OpenAI-compatible endpoint). */
export function createModelCredential(api, url) {
	return api.createCredential({
		name: 'Scripted model',
		type: OPENAI_CREDENTIAL_TYPE,
		data: { apiKey: 'sk-scripted-model-example', url, header: false },
	});
}

const ref = (credential) => ({ id: credential.id, name: credential.name });

/** The edna Pulse node as an agent's tool: `parameters` of the action node, `$fromAI` where the model fills in. */
export function ednaTool({ name = 'Reply to the customer', parameters, credential, toolDescription }) {
	return {
		id: randomUUID(),
		name,
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [480, 220],
		parameters: {
			...(toolDescription ? { descriptionType: 'manual', toolDescription } : {}),
			...parameters,
		},
		credentials: { [CREDENTIAL_TYPE]: ref(credential) },
	};
}

/**
 * Trigger → AI Agent with the model, Simple Memory (unless `memory: false`) and `tools`.
 * `systemMessage` goes into the agent's options. Returns `{ nodes, connections, settings, trigger }`.
 * The settings hold n8n's current execution order ('v1', what the editor gives every new workflow):
 * under the legacy order n8n 2.41 resumes the agent before its tools have run, and the model is told
 * each tool returned nothing.
 */
export function agentWorkflow({ credential, modelCredential, tools, systemMessage, memory = true, triggerParameters = {} }) {
	const trigger = triggerNode({ parameters: { event: 'incomingMessage', ...triggerParameters }, credential, typeVersion: 1.2 });
	const agent = {
		id: randomUUID(),
		name: AGENT_NAME,
		type: '@n8n/n8n-nodes-langchain.agent',
		// n8n 1.123's newest agent is 3; 3.1 (2.x) changes nothing this workflow uses.
		typeVersion: n8nMajor() >= 2 ? 3.1 : 3,
		position: [240, 0],
		// promptType 'auto': the prompt is the input item's chatInput, as after n8n's Chat Trigger.
		parameters: { options: systemMessage ? { systemMessage } : {} },
	};
	const model = {
		id: randomUUID(),
		name: MODEL_NAME,
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		// 1.3 and later call OpenAI's Responses API by default; 1.2 calls Chat Completions.
		typeVersion: 1.2,
		position: [160, 220],
		parameters: { model: { __rl: true, mode: 'id', value: MODEL_ID }, options: {} },
		credentials: { [OPENAI_CREDENTIAL_TYPE]: ref(modelCredential) },
	};
	// Session ID "Connected Chat Trigger Node" (the default): the input item's sessionId.
	const memoryNode = {
		id: randomUUID(),
		name: MEMORY_NAME,
		type: '@n8n/n8n-nodes-langchain.memoryBufferWindow',
		typeVersion: 1.3,
		position: [320, 220],
		parameters: {},
	};
	const nodes = [{ ...trigger, position: [0, 0] }, agent, model, ...(memory ? [memoryNode] : []), ...tools];
	const connections = {
		[trigger.name]: { main: [[{ node: AGENT_NAME, type: 'main', index: 0 }]] },
		[MODEL_NAME]: { ai_languageModel: [[{ node: AGENT_NAME, type: 'ai_languageModel', index: 0 }]] },
		...(memory ? { [MEMORY_NAME]: { ai_memory: [[{ node: AGENT_NAME, type: 'ai_memory', index: 0 }]] } } : {}),
	};
	for (const tool of tools) connections[tool.name] = { ai_tool: [[{ node: AGENT_NAME, type: 'ai_tool', index: 0 }]] };
	return { nodes, connections, settings: { executionOrder: 'v1' }, trigger };
}
