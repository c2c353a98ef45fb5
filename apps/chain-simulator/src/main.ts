/**
 * Placeholder for the stand-in for DUO's register and a municipal leerplicht system; it lands with the
 * connectors issue. It exits with a clear message rather than pretending to work.
 */
process.stderr.write('ketenpoort chain-simulator: not available in this version yet\n');
process.exitCode = 1;
export {};
