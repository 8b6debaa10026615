import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

/**
 * Behaves like n8n's CLI CredentialsHelper where the nodes can tell: defaults are filled in,
 * `preAuthentication` runs when the expirable field is empty or after a 401 and its result is
 * persisted, and generic `authenticate` expressions are resolved against `$credentials`.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly store = new Map<
		string,
		{ type: string; data: ICredentialDataDecryptedObject }
	>();

	readonly events: Array<{
		kind: 'preAuthentication' | 'update';
		credentialId: string;
		expired?: boolean;
	}> = [];

	constructor(private readonly types: Record<string, ICredentialType>) {
		super();
	}

	add(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(id, { type, data: { ...data } });
	}

	stored(id: string): ICredentialDataDecryptedObject {
		return { ...(this.store.get(id)?.data ?? {}) };
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.type(typeName);
		const options = requestOptions as IHttpRequestOptions;
		if (typeof type.authenticate === 'function')
			return await type.authenticate(credentials, options);
		if (type.authenticate?.type === 'generic') {
			for (const [section, entries] of Object.entries(type.authenticate.properties)) {
				const target = ((options as unknown as Record<string, Record<string, unknown>>)[section] ??=
					{});
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[key] = this.resolve(value, credentials, workflow!, node!);
				}
			}
		}
		return options;
	}

	private resolve(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (typeof value !== 'string' || !value.startsWith('=')) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const credentialId = node.credentials?.[typeName]?.id ?? '';
		this.events.push({ kind: 'preAuthentication', credentialId, expired: credentialsExpired });
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			await this.updateCredentials(node.credentials[typeName], typeName, {
				...this.stored(credentialId),
				...output,
			} as ICredentialDataDecryptedObject);
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const data = this.stored(nodeCredentials.id ?? '');
		return {
			id: nodeCredentials.id,
			name: nodeCredentials.name,
			type,
			getData: () => data,
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const entry = this.store.get(nodeCredentials.id ?? '');
		if (!entry) throw new Error(`Credential ${nodeCredentials.id} not found`);
		const withDefaults: ICredentialDataDecryptedObject = {};
		for (const property of this.getCredentialsProperties(type)) {
			if (property.default !== undefined) withDefaults[property.name] = property.default as never;
		}
		return { ...withDefaults, ...entry.data };
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.events.push({ kind: 'update', credentialId: nodeCredentials.id ?? '' });
		this.store.set(nodeCredentials.id ?? '', { type, data: { ...data } });
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}
}
