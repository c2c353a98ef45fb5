/** The commands of contracts §1. `available: false` commands land with their issues. */
export interface CommandInfo {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly available: boolean;
}

export const COMMANDS: readonly CommandInfo[] = [
  {
    name: 'normalise',
    usage:
      'normalise --system <id> --input <file> [--mapping <file>] [--timetable <file> --timetable-system <id>] [--bell-schedule <file>] [--pupil <id>]',
    summary: 'source payload → canonical records (JSON Lines); quarantined inputs on stderr',
    available: true,
  },
  {
    name: 'timetable',
    usage: 'timetable --system <id> --input <file>',
    summary: 'timetable payload → lessons (JSON Lines)',
    available: true,
  },
  {
    name: 'import',
    usage:
      'import --system <id> --input <file> --board <board> --school <brin> [--pupil <id>] [--from <date> --to <date>]',
    summary:
      'store a school system payload (DATABASE_URL or the embedded database in DATA_DIR); prints the batch summary',
    available: true,
  },
  {
    name: 'evaluate',
    usage:
      'evaluate --records <jsonl> --pupils <file> --calendar <file> [--rulepack <file>] [--as-of <date>]',
    summary: 'canonical records → signals (JSON Lines); --rulepack twice: national, then regional',
    available: true,
  },
  {
    name: 'policy',
    usage: 'policy check|verify <policy-file> | policy decide --policy <file> --request <file> [--at <date>]',
    summary: 'validate, prove or apply a privacy policy',
    available: true,
  },
  {
    name: 'report',
    usage:
      'report duo --report <file> [--key <pem> --cert <pem>] [--policy <file>] [--board <id>] [--at <instant>]\n' +
      '       ketenpoort report leerplicht --report <file> [--signed] [--recipient <gemeentecode>] [--recipient-kind leerplicht|doorstroompunt] [--policy <file>] [--board <id>] [--at <instant>]',
    summary:
      'print an outbound message exactly as it would be sent, after the privacy policy (DUO XML; leerplicht JSON or --signed JWS)',
    available: true,
  },
  {
    name: 'audit',
    usage: 'audit verify [--database-url <url>]',
    summary: 'verify the hash chain of the audit log',
    available: true,
  },
  {
    name: 'access-report',
    usage:
      'access-report --pupil <localId> --board <board> [--school <BRIN>] [--format json|html] [--database-url <url>]',
    summary: 'AVG art. 15: everything held about a pupil and every disclosure (JSON or Dutch HTML)',
    available: true,
  },
  {
    name: 'register',
    usage:
      'register --kind controller|processor [--board <board>] [--format json|csv] [--database-url <url>]',
    summary:
      "the verwerkingsregister (AVG art. 30) from the configuration: a board's (controller) or the host's across every board (processor)",
    available: true,
  },
  {
    name: 'bench',
    usage:
      'bench <scenario> [--records N] [--system somtoday|magister] [--pupils N]   (scenarios: normalise, ingest, decide, evaluate, dispatch, load, console)',
    summary: 'run a benchmark; prints JSON with throughput and the engine-limit ratio',
    available: true,
  },
  {
    name: 'pull',
    usage: 'pull --source <name> [--sources <file>] [--once]',
    summary:
      'pull one configured SOMtoday/Magister source into the store; prints each run result as JSON (--once: one run)',
    available: true,
  },
  {
    name: 'migrate',
    usage: 'migrate',
    summary: 'apply database migrations (DATABASE_URL, or the embedded database in DATA_DIR)',
    available: true,
  },
];
