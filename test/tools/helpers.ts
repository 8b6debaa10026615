import type { IDataObject, INodeType } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { Engine, PACKAGE_PREFIX, sandboxCredentialData, type NodeRun } from '../harness/engine';
import { allNodeTypes } from '../harness/nodes';

export type { RunningSandbox };

/**
 * The `<type>Tool` variants n8n generates for `usableAsTool` nodes (packages/cli
 * tool-generation/ai-tools.ts): same node, type name + "Tool". The harness keeps the main input,
 * which carries the tool call's arguments as n8n's makeHandleToolInvocation does.
 */
export function toolVariants(): Record<string, INodeType> {
	const variants: Record<string, INodeType> = {};
	for (const [name, node] of Object.entries(allNodeTypes())) {
		if (!node.description.usableAsTool) continue;
		const description = deepCopy(node.description);
		description.name = `${name}Tool`;
		description.displayName += ' Tool';
		delete description.usableAsTool;
		variants[`${PACKAGE_PREFIX}.${name}Tool`] = {
			description,
			methods: node.methods,
			execute: node.execute,
		} as INodeType;
	}
	return variants;
}

export async function openSandbox(): Promise<RunningSandbox> {
	return await startSandbox({ quiet: true, host: '127.0.0.1' });
}

export function kapitaleEngine(sandbox: RunningSandbox): Engine {
	return new Engine({
		credentials: { kapitale: sandboxCredentialData(sandbox) },
		extraNodeTypes: toolVariants(),
	});
}

export function partnerEngine(sandbox: RunningSandbox): Engine {
	return new Engine({
		credentials: { kapitale: sandboxCredentialData(sandbox, 'partner') },
		extraNodeTypes: toolVariants(),
	});
}

/** The single answer of a tool call (n8n hands the items' json to the model). */
export function answer(run: NodeRun): IDataObject {
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(1);
	return run.items[0].json;
}
