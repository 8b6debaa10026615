import { toolDescriptionFields } from '../../../shared/execution/toolMode';

/** What a model reads about the Bank Search tool (the tool variant's default description). */
export const toolDescriptions = toolDescriptionFields('bank', {
	search: `Find Brazilian banks by name or COMPE code (the 3-digit bank number, e.g. 237 or "Bradesco"). Each result: id (the partner API's bank ID for a customer's bank account), code (COMPE), bankName, name ("code - name"), exactMatch. An empty list means no bank matches.`,
});
