import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../../shared/execution/runOperation';
import * as operation from './operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation.call(this, {
		operation: {
			create: operation.create,
			getMany: operation.getMany,
			getStatus: operation.getStatus,
			getDetails: operation.getDetails,
			uploadDocumentByLink: operation.uploadDocumentByLink,
		},
	});
}
