/** How errors name the credit operation picked in creditOperationRLC (../../../shared/rlc.description). */
export const OPERATION_FIELD = { label: 'Credit Operation', apiField: 'hashId' };
