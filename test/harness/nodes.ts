import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

import type { INodeType } from 'n8n-workflow';

const NODES_DIR = path.resolve(__dirname, '../../nodes');

/** Every node of the package (nodes/<Name>/<Name>.node.ts), keyed by its type name without the package prefix. */
export function allNodeTypes(): Record<string, INodeType> {
	const types: Record<string, INodeType> = {};
	for (const folder of readdirSync(NODES_DIR)) {
		const file = path.join(NODES_DIR, folder, `${folder}.node.ts`);
		if (!existsSync(file)) continue;
		const exported = require(file) as Record<string, new () => INodeType>;
		const NodeClass = exported[folder];
		if (!NodeClass) continue;
		const node = new NodeClass();
		types[node.description.name] = node;
	}
	return types;
}
