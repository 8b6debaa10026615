import type { INodeType } from 'n8n-workflow';

import { KapitaleCompany } from '../../nodes/KapitaleCompany/KapitaleCompany.node';

/** Every node of the package, keyed by its type name (without the package prefix). */
export function allNodeTypes(): Record<string, INodeType> {
	const nodes: INodeType[] = [new KapitaleCompany()];
	return Object.fromEntries(nodes.map((node) => [node.description.name, node]));
}
