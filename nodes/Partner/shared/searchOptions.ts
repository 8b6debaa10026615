import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { readNodeParameter } from '../../shared/execution/parameters';

/**
 * The search nodes' one Options collection. Workflows saved before it kept the search's own
 * options under `searchOptions`; they are still honoured, the newer collection winning.
 */
export function readSearchOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const legacy = readNodeParameter(context, 'searchOptions', itemIndex, {}) as IDataObject;
	const options = readNodeParameter(context, 'options', itemIndex, {}) as IDataObject;
	return { ...legacy, ...options };
}

/** Keeps `searchOptions` of older saved workflows (n8n drops parameters a node does not declare). */
export const legacySearchOptions: INodeProperties = {
	displayName: 'Search Options (Older Workflows)',
	name: 'searchOptions',
	type: 'hidden',
	default: {},
};
