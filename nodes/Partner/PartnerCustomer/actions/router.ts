import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../../shared/execution/runOperation';
import * as customer from './customer';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation.call(this, {
		customer: {
			create: customer.create,
			update: customer.update,
			get: customer.get,
			getMany: customer.getMany,
			resendTermsEmail: customer.resendTermsEmail,
		},
	});
}
