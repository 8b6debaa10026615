import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../../shared/execution/runOperation';
import * as order from './order';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation.call(this, {
		order: {
			create: order.create,
			get: order.get,
			getAll: order.getAll,
			setInvoice: order.setInvoice,
			cancel: order.cancel,
		},
	});
}
