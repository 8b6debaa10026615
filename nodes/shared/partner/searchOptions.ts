import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * The search nodes' one Options collection. Workflows saved before it kept the search's own
 * options under `searchOptions`; they are still honoured, the newer collection winning.
 */
export function readSearchOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const legacy = context.getNodeParameter('searchOptions', itemIndex, {}) as IDataObject;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return { ...legacy, ...options };
}

/** Keeps `searchOptions` of older saved workflows (n8n drops parameters a node does not declare). */
export const legacySearchOptions: INodeProperties = {
	displayName: 'Search Options (Older Workflows)',
	name: 'searchOptions',
	type: 'hidden',
	default: {},
};
