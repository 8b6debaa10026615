import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { idLocator } from '../../../shared/descriptions';

export const operationIdLocator = (show: IDisplayOptions['show']): INodeProperties =>
	idLocator({
		name: 'operationId',
		displayName: 'Operation',
		description:
			'The operation, searched by customer name in /partner-operation/all, or its hash ID',
		searchListMethod: 'searchOperations',
		placeholder: 'e.g. yzjd47d5kn',
		show,
	});

export const OPERATION_FIELD = { label: 'Operation', apiField: 'hashId' };
