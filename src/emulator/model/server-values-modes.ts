/** The `--server-values` choices, apart from the values themselves so the CLI's help loads nothing else. */
export type ServerValuesMode = 'emulator-defaults' | 'spec-examples';
export const SERVER_VALUES_MODES: readonly ServerValuesMode[] = ['emulator-defaults', 'spec-examples'];
