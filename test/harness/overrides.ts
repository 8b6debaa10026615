/**
 * Tests shorten the transport's waits (retry back-off, deadlines) by writing into its exported
 * settings objects. This sets `values` before the file's tests and puts every field back after
 * them, also fields a test changed on its own, so no other test file sees the change. Returns
 * the settings as they were, for a test that puts one back early.
 */
export function overrideForFile<T extends object>(target: T, values: Partial<T> = {}): Readonly<T> {
	const saved = { ...target };
	beforeAll(() => Object.assign(target, values));
	afterAll(() => Object.assign(target, saved));
	return saved;
}
