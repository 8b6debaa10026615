/**
 * The parts of a node description that every node of this package has alike. A node file spreads
 * one of these into its own literal description and keeps there, written out, what n8n's linter
 * reads from that literal (icon, subtitle, usableAsTool, credentials with testedBy): a value the
 * linter cannot see is a check it silently skips.
 */
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** The node's page in the repository: docs/nodes/<docName>.md. */
export function nodeDocumentationUrl(docName: string): string {
	return `https://github.com/kapitale-community/n8n-nodes-kapitale/blob/main/docs/nodes/${docName}.md`;
}

type SharedPart = Pick<
	INodeTypeDescription,
	'group' | 'documentationUrl' | 'version' | 'inputs' | 'outputs'
> &
	Partial<Pick<INodeTypeDescription, 'polling'>>;

/** An action node, version 1, one main input and output; its page is docs/nodes/<docName>.md. */
export function actionNodeDescription(docName: string): SharedPart {
	return {
		group: ['transform'],
		documentationUrl: nodeDocumentationUrl(docName),
		version: 1,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
	};
}

/** A polling trigger, version 1: no input, one main output; its page is docs/nodes/<docName>.md. */
export function pollingTriggerDescription(docName: string): SharedPart {
	return {
		group: ['trigger'],
		documentationUrl: nodeDocumentationUrl(docName),
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

/** A polling trigger's Event selector. */
export function pollEventField(
	events: INodePropertyOptions[],
	defaultEvent: string,
): INodeProperties {
	return {
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: events,
		default: defaultEvent,
	};
}

/**
 * A polling trigger's Simplify switch. `record` names one emitted record ("customer"); `converts`,
 * when given, says in brackets what the flat version converts.
 */
export function pollSimplifyField(record: string, converts?: string): INodeProperties {
	const detail = converts ? ` (${converts})` : '';
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return a flat version of each ${record} that fits a spreadsheet row${detail} instead of the raw API record`,
	};
}

/** Tells the user why an activated trigger stays silent at first; `records` is plural ("customers"). */
export function firstPollNotice(records: string): INodeProperties {
	return {
		displayName: `The first poll after activation records the current ${records} and emits nothing; later polls emit what changed since.`,
		name: 'notice',
		type: 'notice',
		default: '',
	};
}
