/** DUO ROD connector: see README.md. */
export const DUO_ROD_CONNECTOR = 'duo-rod';
