import { toolDescriptionFields } from '../../../shared/execution/toolMode';

/** What a model reads about the Kapitale Company tool (the tool variant's default description). */
export const toolDescriptions = toolDescriptionFields('company', {
	getByCnpj: `Look up a Brazilian company (a retail buyer) by its CNPJ: 14 characters, digits or (since 2026) letters and digits, with or without the mask, e.g. 11.222.333/0001-81. Returns found: false with a message when neither Kapitale nor the credit bureau knows the CNPJ (ask the user to check it). Otherwise found: true with name, retail_representative, email, phone and address, and: source "kapitale" = a retail registered with Kapitale, its data is confirmed; source "bureau" = data from a credit bureau only, needsChecking: true = confirm name and contact with the user before using them in an order.`,
});
