import { toolDescriptionFields } from '../../../shared/execution/toolMode';

/** What a model reads about the City Search tool (the tool variant's default description). */
export const toolDescriptions = toolDescriptionFields('city', {
	search: `Find Brazilian municipalities by name (accents optional, e.g. "Ararangua"), optionally within one state (UF such as SC). Each result: id (the partner API's city ID), name ("City - UF", e.g. "Araranguá - SC": give it where a customer's city is asked), city, state (UF), ibgeCode, exactMatch (whether the name is exactly the one searched). An empty list means no city matches.`,
});
