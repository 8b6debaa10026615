/**
 * readNodeParameter/readLocator answer `{{ $json.field }}` without n8n's expression engine. These
 * tests run both readers inside n8n-core's WorkflowExecute on the same items and parameters and
 * require the same values and the same errors, and that the engine was really skipped where the
 * fast path claims to apply.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { readLocator, readNodeParameter } from '../../nodes/shared/execution/parameters';
import { Engine, PACKAGE_PREFIX } from '../harness/engine';
import { allNodeTypes } from '../harness/nodes';

type Reading = {
	value?: unknown;
	error?: string;
	engineCalls: number;
	aliasesInput?: boolean;
};

function attempt(read: () => unknown, engineCalls: () => number, input: IDataObject = {}): Reading {
	const before = engineCalls();
	try {
		const value = read();
		const aliasesInput =
			typeof value === 'object' && value !== null && Object.values(input).includes(value as never);
		return { value, engineCalls: engineCalls() - before, aliasesInput };
	} catch (error) {
		return {
			error: (error as Error).message,
			engineCalls: engineCalls() - before,
		};
	}
}

const items: IDataObject[] = [
	{
		text: 'Empresa Varejo LTDA',
		padded: '  12.ABC.345/01DE-35 ',
		empty: '',
		zero: 0,
		amount: 1234.56,
		negative: -7,
		yes: true,
		no: false,
		'name with space': 'Praça da Sé',
		nested: { deeper: { cnpj: '11222333000181' }, list: [1, 2] },
		nothing: null,
		object: { a: 1 },
		array: ['x'],
		constructor: 'own key',
		id: ' 550e8400-e29b-41d4-a716-446655440000 ',
		rows: [{ value: 'R$ 1.234,56', quantity: 2, description: null, tags: ['a'] }],
		deep: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } },
	},
	{
		text: 'second item',
		amount: '1.234,56',
		yes: 'true',
		nested: 'not an object',
		id: 42,
	},
	{},
];

const fastPath: Record<string, string> = {
	pText: '={{ $json.text }}',
	pTight: '={{$json.text}}',
	pPadded: '={{ $json.padded }}',
	pEmpty: '={{ $json.empty }}',
	pZero: '={{ $json.zero }}',
	pAmount: '={{ $json.amount }}',
	pNegative: '={{ $json.negative }}',
	pYes: '={{ $json.yes }}',
	pNo: '={{ $json.no }}',
	pBracketDouble: '={{ $json["name with space"] }}',
	pBracketSingle: "={{ $json['text'] }}",
	pNested: '={{ $json.nested.deeper.cnpj }}',
	pNestedBracket: "={{ $json.nested['deeper'].cnpj }}",
	pObject: '={{ $json.object }}',
	pArray: '={{ $json.array }}',
	pRows: '={{ $json.rows }}',
};

const n8nAnswers: Record<string, unknown> = {
	pMissing: '={{ $json.missing }}',
	pNull: '={{ $json.nothing }}',
	pDeep: '={{ $json.deep }}',
	pListIndex: '={{ $json.nested.list[0] }}',
	pTrailingText: '={{ $json.text }} ',
	pLeadingText: '=Pedido {{ $json.text }}',
	pTwoExpressions: '={{ $json.text }}{{ $json.text }}',
	pMethod: '={{ $json.text.toUpperCase() }}',
	pFallbackOperator: "={{ $json.missing ?? 'default' }}",
	pConstructor: '={{ $json.constructor }}',
	pOtherNode: "={{ $('Items').item.json.text }}",
	pCollection: { field: '={{ $json.text }}', plain: 'x' },
};

const plain: Record<string, unknown> = {
	pLiteral: 'literal text',
	pNumber: 7,
	pBoolean: true,
	pEmptyLiteral: '',
};

const locators: Record<string, unknown> = {
	locatorById: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
	locatorList: {
		__rl: true,
		mode: 'list',
		value: 'abc ',
		cachedResultName: 'ABC',
	},
	locatorOld: '={{ $json.id }}',
	locatorOtherExpression: {
		__rl: true,
		mode: 'id',
		value: '={{ $json.id + "-x" }}',
	},
};

function propertyFor(name: string, value: unknown): INodeProperties {
	if (name.startsWith('locator')) {
		return {
			displayName: name,
			name,
			type: 'resourceLocator',
			default: { mode: 'id', value: '' },
			modes: [
				{ displayName: 'List', name: 'list', type: 'list' },
				{ displayName: 'ID', name: 'id', type: 'string' },
			],
		};
	}
	if (value && typeof value === 'object') {
		return {
			displayName: name,
			name,
			type: 'collection',
			default: {},
			options: Object.keys(value).map((key) => ({
				displayName: key,
				name: key,
				type: 'string',
				default: '',
			})),
		};
	}
	const type =
		typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
	return {
		displayName: name,
		name,
		type,
		default: type === 'number' ? 0 : type === 'boolean' ? false : '',
	} as INodeProperties;
}

const allParameters: Record<string, unknown> = {
	...fastPath,
	...n8nAnswers,
	...plain,
	...locators,
};

/** A node that reads every parameter named `p…` both ways and outputs what each gave. */
class ParameterProbe implements INodeType {
	description = {
		displayName: 'Parameter Probe',
		name: 'parameterProbe',
		group: ['transform'],
		version: 1,
		description: 'test only',
		defaults: { name: 'Parameter Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: Object.entries(allParameters).map(([name, value]) => propertyFor(name, value)),
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return probe(this);
	}
}

function probe(context: IExecuteFunctions): INodeExecutionData[][] {
	let engineCalls = 0;
	// Counts the reads that go through n8n's resolution (any read without rawExpressions).
	const counted = Object.create(context, {
		getNodeParameter: {
			value: (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
				if (!(args[3] as IDataObject | undefined)?.rawExpressions) engineCalls++;
				return (context.getNodeParameter as (...a: unknown[]) => unknown)(...args);
			},
		},
	}) as IExecuteFunctions;
	const names = Object.keys(context.getNode().parameters).filter((name) => name.startsWith('p'));
	const locators = Object.keys(context.getNode().parameters).filter((name) =>
		name.startsWith('locator'),
	);
	return [
		context.getInputData().map((_, itemIndex) => {
			const json: IDataObject = {};
			for (const name of names) {
				json[name] = {
					ours: attempt(
						() => readNodeParameter(counted, name, itemIndex, 'FALLBACK'),
						() => engineCalls,
						context.getInputData()[itemIndex].json,
					),
					n8n: attempt(
						() => context.getNodeParameter(name, itemIndex, 'FALLBACK'),
						() => 0,
					),
				} as unknown as IDataObject;
			}
			for (const name of locators) {
				json[name] = {
					ours: attempt(
						() => readLocator(counted, itemIndex, name).value,
						() => engineCalls,
					),
					n8n: attempt(
						() =>
							String(
								context.getNodeParameter(name, itemIndex, '', {
									extractValue: true,
								}) ?? '',
							).trim(),
						() => 0,
					),
				} as unknown as IDataObject;
			}
			return { json, pairedItem: { item: itemIndex } };
		}),
	];
}

const engine = new Engine({
	credentials: {},
	extraNodeTypes: {
		[`${PACKAGE_PREFIX}.parameterProbe`]: new ParameterProbe(),
	},
});

describe('readNodeParameter: the same values as n8n, without its expression engine for {{ $json.field }}', () => {
	let outputs: INodeExecutionData[];
	beforeAll(async () => {
		const run = await engine.runNode({
			type: 'parameterProbe',
			parameters: allParameters as IDataObject,
			items,
		});
		expect(run.error).toBeUndefined();
		outputs = run.items;
		expect(outputs).toHaveLength(items.length);
	});

	const reading = (itemIndex: number, name: string) =>
		outputs[itemIndex].json[name] as unknown as { ours: Reading; n8n: Reading };

	it.each(Object.keys(allParameters))(
		'%s: same value or same error as getNodeParameter, on every item',
		(name) => {
			items.forEach((_, itemIndex) => {
				const { ours, n8n } = reading(itemIndex, name);
				expect({
					item: itemIndex,
					value: ours.value,
					error: ours.error,
				}).toEqual({ item: itemIndex, value: n8n.value, error: n8n.error });
			});
		},
	);

	it.each(Object.keys(fastPath))(
		'%s on the first item is read without the expression engine',
		(name) => {
			expect(reading(0, name).ours.engineCalls).toBe(0);
		},
	);

	it('hands out copies: changing a list read from the item does not change the item', () => {
		expect(reading(0, 'pRows').ours.value).toEqual(items[0].rows);
		expect(reading(0, 'pRows').ours.aliasesInput).toBe(false);
		expect(reading(0, 'pObject').ours.aliasesInput).toBe(false);
	});

	it('keeps the input’s type: numbers and booleans stay numbers and booleans, strings are not trimmed', () => {
		expect(reading(0, 'pAmount').ours.value).toBe(1234.56);
		expect(reading(0, 'pZero').ours.value).toBe(0);
		expect(reading(0, 'pNo').ours.value).toBe(false);
		expect(reading(0, 'pPadded').ours.value).toBe('  12.ABC.345/01DE-35 ');
		expect(reading(1, 'pAmount').ours.value).toBe('1.234,56');
	});

	it.each(Object.keys(n8nAnswers))('%s is left to n8n', (name) => {
		expect(reading(0, name).ours.engineCalls).toBe(1);
	});

	it('reads plain values and a locator By ID mapped from $json without the engine', () => {
		for (const name of [...Object.keys(plain), 'locatorById', 'locatorList'])
			expect({ name, calls: reading(0, name).ours.engineCalls }).toEqual({
				name,
				calls: 0,
			});
		expect(reading(0, 'locatorById').ours.value).toBe('550e8400-e29b-41d4-a716-446655440000');
		expect(reading(1, 'locatorById').ours.value).toBe('42');
	});
});

function walkProperties(
	properties: readonly unknown[],
	visit: (property: INodeProperties) => void,
): void {
	for (const entry of properties) {
		if (!entry || typeof entry !== 'object') continue;
		const property = entry as INodeProperties & { values?: unknown[] };
		visit(property);
		if (Array.isArray(property.options)) walkProperties(property.options, visit);
		if (Array.isArray(property.values)) walkProperties(property.values, visit);
	}
}

describe('what makes skipping n8n’s checks safe', () => {
	it('per-item reads in nodes/ go through readNodeParameter/readLocator, not getNodeParameter', () => {
		const root = path.resolve(__dirname, '../../nodes');
		const direct: string[] = [];
		const walk = (dir: string): void => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				const file = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(file);
				else if (file.endsWith('.ts') && /\.getNodeParameter\(/.test(readFileSync(file, 'utf8')))
					direct.push(path.relative(root, file));
			}
		};
		walk(root);
		// The parameter reader itself, the once-per-run resource/operation/options reads, and the
		// trigger (webhook functions, no items).
		expect(direct.sort()).toEqual([
			'Kapitale/KapitaleTrigger/KapitaleTrigger.node.ts',
			'shared/execution/parameters.ts',
			'shared/execution/runOperation.ts',
		]);
	});

	const nodes = Object.entries(allNodeTypes());

	it.each(nodes)(
		'%s declares no validateType (n8n would convert such values; readNodeParameter skips that)',
		(_name, type) => {
			const declaring: string[] = [];
			walkProperties(type.description.properties, (property) => {
				if ('validateType' in property && property.validateType) declaring.push(property.name);
			});
			expect(declaring).toEqual([]);
		},
	);

	it.each(nodes)(
		'%s has no resource locator mode with its own value extraction (readLocator returns the value as it is)',
		(_name, type) => {
			const extracting: string[] = [];
			walkProperties(type.description.properties, (property) => {
				for (const mode of property.modes ?? [])
					if (mode.extractValue) extracting.push(`${property.name}.${mode.name}`);
			});
			expect(extracting).toEqual([]);
		},
	);
});
