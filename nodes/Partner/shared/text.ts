/** Text helpers for matching the partner API's Portuguese names. Pure functions. */

/** Lower case, without accents and with single spaces: "  São  Paulo " → "sao paulo". */
export function foldText(value: unknown): string {
	return String(value ?? '')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}

/** Edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
	if (a === b) return 0;
	if (!a.length) return b.length;
	if (!b.length) return a.length;
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
		}
		previous = current;
	}
	return previous[b.length];
}

/** The 27 Brazilian federative units. */
export const BRAZILIAN_STATES: Array<{ uf: string; name: string }> = [
	{ uf: 'AC', name: 'Acre' },
	{ uf: 'AL', name: 'Alagoas' },
	{ uf: 'AM', name: 'Amazonas' },
	{ uf: 'AP', name: 'Amapá' },
	{ uf: 'BA', name: 'Bahia' },
	{ uf: 'CE', name: 'Ceará' },
	{ uf: 'DF', name: 'Distrito Federal' },
	{ uf: 'ES', name: 'Espírito Santo' },
	{ uf: 'GO', name: 'Goiás' },
	{ uf: 'MA', name: 'Maranhão' },
	{ uf: 'MG', name: 'Minas Gerais' },
	{ uf: 'MS', name: 'Mato Grosso do Sul' },
	{ uf: 'MT', name: 'Mato Grosso' },
	{ uf: 'PA', name: 'Pará' },
	{ uf: 'PB', name: 'Paraíba' },
	{ uf: 'PE', name: 'Pernambuco' },
	{ uf: 'PI', name: 'Piauí' },
	{ uf: 'PR', name: 'Paraná' },
	{ uf: 'RJ', name: 'Rio de Janeiro' },
	{ uf: 'RN', name: 'Rio Grande do Norte' },
	{ uf: 'RO', name: 'Rondônia' },
	{ uf: 'RR', name: 'Roraima' },
	{ uf: 'RS', name: 'Rio Grande do Sul' },
	{ uf: 'SC', name: 'Santa Catarina' },
	{ uf: 'SE', name: 'Sergipe' },
	{ uf: 'SP', name: 'São Paulo' },
	{ uf: 'TO', name: 'Tocantins' },
];

const UF_SET = new Set(BRAZILIAN_STATES.map((state) => state.uf));

export function isUf(value: unknown): boolean {
	return UF_SET.has(
		String(value ?? '')
			.trim()
			.toUpperCase(),
	);
}

/** n8n options for a state (UF) field; the first entry is "not given". */
export const STATE_OPTIONS = [
	{ name: '— From the City Text —', value: '' },
	...BRAZILIAN_STATES.map((state) => ({ name: `${state.uf} – ${state.name}`, value: state.uf })),
];
