import { startSandbox, type RunningSandbox } from '../../sandbox';
import { Engine, sandboxCredentialData } from '../harness/engine';

export interface PartnerTestContext {
	sandbox: RunningSandbox;
	engine: Engine;
	/** Requests the partner service received since the last clearLog(). */
	partnerCalls(): Array<{
		method: string;
		path: string;
		query: Record<string, string>;
		status: number;
	}>;
}

export async function startPartner(): Promise<PartnerTestContext> {
	const sandbox = await startSandbox({ quiet: true });
	const engine = new Engine({
		credentials: { kapitale: sandboxCredentialData(sandbox, 'partner') },
	});
	return {
		sandbox,
		engine,
		partnerCalls: () => sandbox.requestLog().filter((entry) => entry.service === 'partner'),
	};
}

/** A valid PF customer as node parameters. */
export function pfCustomer(overrides: Record<string, unknown> = {}) {
	return {
		resource: 'customer',
		operation: 'create',
		personType: 'pf',
		taxId: '836.802.749-71',
		name: 'Maya Márcia da Paz',
		contactName: 'Maya Márcia da Paz',
		contactEmail: 'maya@example.com.br',
		mobilePhone: '(48) 99339-7760',
		contactCpf: '83680274971',
		motherName: 'Laura Flávia',
		birthDate: '1992-08-03',
		postalCode: '88904-278',
		street: 'Rua Madre Tereza de Calcutá',
		streetNumber: '556',
		district: 'Lagoão',
		city: { __rl: true, mode: 'name', value: 'Araranguá - SC' },
		...overrides,
	};
}

/** A valid PJ customer as node parameters. */
export function pjCustomer(overrides: Record<string, unknown> = {}) {
	return pfCustomer({
		personType: 'pj',
		taxId: '94.872.972/0001-10',
		name: 'Erick Locações',
		companyName: 'Luzia e Erick Locações de Automóveis Ltda',
		openDate: '10/12/2010',
		mainActivity: 'Aluguel de automóveis',
		revenueInput: 'text',
		revenue: '2522; 5454; 5454; 5454; 5454; 5454; 5454; 5454; 5454; 5454; 5454; R$ 5.454,50',
		...overrides,
	});
}
