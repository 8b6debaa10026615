import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeType } from 'n8n-workflow';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Every node the package declares in package.json (`n8n.nodes`, the list n8n loads), read from
 * its TypeScript source and keyed by its type name without the package prefix.
 */
export function allNodeTypes(): Record<string, INodeType> {
	const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[] };
	};
	const types: Record<string, INodeType> = {};
	for (const built of pkg.n8n.nodes) {
		const source = path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		const className = path.basename(source, '.node.ts');
		const exported = require(source) as Record<string, new () => INodeType>;
		const NodeClass = exported[className];
		if (!NodeClass) throw new Error(`${source} does not export ${className}`);
		const node = new NodeClass();
		types[node.description.name] = node;
	}
	return types;
}
