import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readRequiredId, customerIdLocator } from '../../../shared/descriptions';
import { apiRequest } from '../../../../shared/transport';

const show = { resource: ['customer'], operation: ['resendTermsEmail'] };

export const description: INodeProperties[] = [customerIdLocator(show)];

export async function prepare(this: IExecuteFunctions, itemIndex: number) {
	return {
		customerId: readRequiredId(this, itemIndex, 'customerId', {
			label: 'Customer',
			apiField: 'customerHashId',
		}),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Awaited<ReturnType<typeof prepare>>,
	itemIndex: number,
) {
	// A GET that sends an email: not retried on gateway errors, so the customer does not get it twice.
	await apiRequest.call(this, {
		service: 'partner',
		method: 'GET',
		path: '/partner-customer/resend-access-terms-email',
		qs: { customerHashId: input.customerId },
		idempotent: false,
		itemIndex,
	});
	return { customerId: input.customerId, termsEmailSent: true };
}
