/**
 * Builders for the package's resource locators (Kapitale's order picker, the partner's customer,
 * operation, city and bank pickers): every one starts in its list mode with an empty value, and
 * its modes differ only in labels, placeholders and the list search behind them.
 */
import type { INodeProperties, INodePropertyMode } from 'n8n-workflow';

/** A resource locator that opens on its list; required unless `optional` is set. */
export function resourceLocator(
	field: { displayName: string; name: string; description: string; optional?: true },
	modes: INodePropertyMode[],
): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(field.optional ? {} : { required: true }),
		description: field.description,
		modes,
	};
}

/**
 * The From List mode, backed by the node's `methods.listSearch[searchListMethod]`. With
 * `filterRequired` the list waits for the user to type (a list too long to show unfiltered).
 */
export function listMode(
	searchListMethod: string,
	placeholder: string,
	filterRequired = false,
): INodePropertyMode {
	return {
		displayName: 'From List',
		name: 'list',
		// `as const` here and in textMode: n8n's linter reads an object literal with a displayName,
		// a name and a literal type as a node parameter and asks for its default; a mode has none.
		type: 'list' as const,
		placeholder,
		typeOptions: {
			searchListMethod,
			searchable: true,
			...(filterRequired ? { searchFilterRequired: true } : {}),
		},
	};
}

/** A typed mode (By ID, By Name, …); `pattern` makes the editor refuse a value that cannot fit. */
export function textMode(
	displayName: string,
	name: string,
	placeholder: string,
	pattern?: { regex: string; errorMessage: string },
): INodePropertyMode {
	return {
		displayName,
		name,
		type: 'string' as const,
		placeholder,
		...(pattern ? { validation: [{ type: 'regex', properties: pattern }] } : {}),
	};
}
