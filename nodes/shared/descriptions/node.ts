/**
 * The parts of a node description that every node of this package has alike. A node file spreads
 * one of these into its own literal description and keeps there, written out, what n8n's linter
 * reads from that literal (icon, subtitle, usableAsTool, credentials with testedBy): a value the
 * linter cannot see is a check it silently skips.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

const DOCS_URL = 'https://github.com/kapitale-community/n8n-nodes-kapitale/blob/main/docs/nodes/';

type SharedPart = Pick<
	INodeTypeDescription,
	'group' | 'documentationUrl' | 'version' | 'inputs' | 'outputs'
> &
	Partial<Pick<INodeTypeDescription, 'polling'>>;

/** An action node, version 1, one main input and output; its page is docs/nodes/<docName>.md. */
export function actionNodeDescription(docName: string): SharedPart {
	return {
		group: ['transform'],
		documentationUrl: `${DOCS_URL}${docName}.md`,
		version: 1,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
	};
}

/** A polling trigger, version 1: no input, one main output; its page is docs/nodes/<docName>.md. */
export function pollingTriggerDescription(docName: string): SharedPart {
	return {
		group: ['trigger'],
		documentationUrl: `${DOCS_URL}${docName}.md`,
		version: 1,
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
	};
}

/** The Resource selector of a node with a single resource. */
export function resourceField(name: string, value: string): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name, value }],
		default: value,
	};
}
